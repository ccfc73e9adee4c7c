from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("", views.SheetView.as_view(), name="sheet"),
    path("book/<str:number>/", views.BookView.as_view(), name="book"),
    path("files/<str:number>/", views.FilesView.as_view(), name="files"),
    path("session/<str:number>/", views.SessionView.as_view(), name="session"),
    path("session/<str:number>/picks/", views.PicksView.as_view(), name="picks"),
    path("session/<str:number>/products/", views.ProductsView.as_view(), name="products"),
    path(
        "session/<str:number>/products/<int:pk>/remove/",
        views.RemoveProductView.as_view(),
        name="remove_product",
    ),
    path("session/<str:number>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "session/<str:number>/production-list.pdf",
        views.ProductionListView.as_view(),
        name="production_list",
    ),
    path(
        "session/<str:number>/<str:action>/",
        views.SessionActionView.as_view(),
        name="session_action",
    ),
    path("production/", views.BoardView.as_view(), name="board"),
    path("production/<int:pk>/<str:action>/", views.MoveView.as_view(), name="move"),
]
