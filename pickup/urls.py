from django.urls import path

from . import views

app_name = "pickup"
urlpatterns = [
    path("", views.SheetView.as_view(), name="sheet"),
    path("book/<str:number>/", views.BookPickupView.as_view(), name="book"),
]
