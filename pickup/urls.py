app_name = "pickup"
urlpatterns = []
