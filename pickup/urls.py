from django.urls import path

from . import views

app_name = "pickup"
urlpatterns = [
    path("", views.SheetView.as_view(), name="sheet"),
    path("book/<str:number>/", views.BookPickupView.as_view(), name="book"),
    path("<int:pk>/desk/", views.DeskView.as_view(), name="desk"),
    path("<int:pk>/desk/slip/", views.VerifySlipView.as_view(), name="desk_slip"),
    path("<int:pk>/desk/pay/", views.PayBalanceView.as_view(), name="desk_pay"),
    path("<int:pk>/desk/hand-over/", views.HandOverView.as_view(), name="desk_hand_over"),
    path("<int:pk>/desk/extra/", views.SellExtraView.as_view(), name="desk_extra"),
    path("<int:pk>/desk/survey/", views.SurveyView.as_view(), name="desk_survey"),
    path("<int:pk>/desk/complete/", views.CompletePickupView.as_view(), name="desk_complete"),
    path("<int:pk>/check/", views.CheckView.as_view(), name="check"),
    path("lost-slip/<int:pk>.pdf", views.LostSlipMemoView.as_view(), name="lost_slip_pdf"),
    path("partial/<int:pk>.pdf", views.PartialMemoView.as_view(), name="partial_pdf"),
]
