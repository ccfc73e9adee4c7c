app_name = "shoots"
urlpatterns = []
