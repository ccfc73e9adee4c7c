from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("", views.SheetView.as_view(), name="sheet"),
    path("book/<str:number>/", views.BookView.as_view(), name="book"),
    path("files/<str:number>/", views.FilesView.as_view(), name="files"),
]
