app_name = "rentals"
urlpatterns = []
