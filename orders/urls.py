from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("sign/<int:customer>/", views.SignView.as_view(), name="sign"),
    path("sign/<int:customer>/ask-approval/", views.AskApprovalView.as_view(), name="ask_approval"),
    path(
        "sign/<int:customer>/approvals/<int:pk>/",
        views.ApprovalStatusView.as_view(),
        name="approval_status",
    ),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("transfers/", views.TransferListView.as_view(), name="transfers"),
    path("transfers/find/", views.FindCoupleView.as_view(), name="transfer_find"),
    path(
        "transfers/accept/<int:customer>/",
        views.AcceptCoupleView.as_view(),
        name="transfer_accept",
    ),
    path("cards/open/<int:customer>/", views.OpenCardView.as_view(), name="open_card"),
    path("cards/<str:number>/", views.CardView.as_view(), name="card"),
    path("cards/<str:number>/top-up/", views.CardTopUpView.as_view(), name="card_top_up"),
    path("cards/<str:number>/refund/", views.CardRefundView.as_view(), name="card_refund"),
    path("cards/<str:number>/holders/", views.CardHolderAddView.as_view(), name="card_holder_add"),
    path(
        "cards/holders/<int:pk>/remove/",
        views.CardHolderRemoveView.as_view(),
        name="card_holder_remove",
    ),
    path(
        "cards/<str:number>/statement.pdf",
        views.CardStatementView.as_view(),
        name="card_statement",
    ),
    path(
        "cards/<str:number>/receipts/<str:receipt_no>.pdf",
        views.CardReceiptView.as_view(),
        name="card_receipt",
    ),
    path("fapiao/<int:pk>/issue/", views.FapiaoIssueView.as_view(), name="fapiao_issue"),
    path("fapiao/<int:pk>/cancel/", views.FapiaoCancelView.as_view(), name="fapiao_cancel"),
    path("<str:number>/", views.OrderDetailView.as_view(), name="detail"),
    path("<str:number>/pay-from-card/", views.CardPaymentView.as_view(), name="pay_from_card"),
    path("<str:number>/fapiao/", views.FapiaoRequestView.as_view(), name="request_fapiao"),
    path("<str:number>/plan/", views.PlanView.as_view(), name="plan"),
    path("<str:number>/do/<str:name>/", views.TransitionView.as_view(), name="transition"),
    path("<str:number>/pay/", views.PaymentView.as_view(), name="pay"),
    path("<str:number>/refund/", views.RefundView.as_view(), name="refund"),
    path(
        "<str:number>/planning-document.pdf",
        views.PlanningDocumentView.as_view(),
        name="planning_document",
    ),
    path(
        "<str:number>/receipts/<str:receipt_no>.pdf",
        views.ReceiptView.as_view(),
        name="receipt",
    ),
]
