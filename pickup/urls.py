from django.urls import path

from . import views

app_name = "pickup"
urlpatterns = [
    path("", views.SheetView.as_view(), name="sheet"),
    path("book/<str:number>/", views.BookPickupView.as_view(), name="book"),
    path("<int:pk>/desk/", views.DeskView.as_view(), name="desk"),
    path("<int:pk>/check/", views.CheckView.as_view(), name="check"),
    path("lost-slip/<int:pk>.pdf", views.LostSlipMemoView.as_view(), name="lost_slip_pdf"),
    path("partial/<int:pk>.pdf", views.PartialMemoView.as_view(), name="partial_pdf"),
]
