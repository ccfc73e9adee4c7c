from django.urls import path

from . import views

app_name = "rentals"
urlpatterns = [
    path("", views.DressListView.as_view(), name="dresses"),
    path("reservations/", views.ReservationListView.as_view(), name="reservations"),
    path("reserve/<str:number>/", views.ReserveView.as_view(), name="reserve"),
    path("reservations/<int:pk>/", views.ReservationDetailView.as_view(), name="detail"),
    path("reservations/<int:pk>/pick-up/", views.PickUpView.as_view(), name="pick_up"),
    path(
        "reservations/<int:pk>/return/preview/",
        views.ReturnPreviewView.as_view(),
        name="return_preview",
    ),
    path("reservations/<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("reservations/<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
]
