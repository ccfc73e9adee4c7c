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
        "session/<str:number>/favourites/",
        views.TakeFavouritesView.as_view(),
        name="take_favourites",
    ),
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
    path("session/<str:number>/start/", views.StartView.as_view(), name="start"),
    path("session/<str:number>/reopen/", views.ReopenView.as_view(), name="reopen"),
    path("session/<str:number>/send/", views.SendView.as_view(), name="send"),
    path("lowered/", views.LoweredUpsellsView.as_view(), name="lowered"),
    path("lowered/<int:pk>/", views.SettleLoweredUpsellView.as_view(), name="settle_lowered"),
    path("photos/", views.PhotoOrdersView.as_view(), name="photo_orders"),
    path("photos/<str:number>/", views.PhotosView.as_view(), name="photos"),
    path("photos/<str:number>/list/", views.PhotoListView.as_view(), name="photo_list"),
    path("photos/<str:number>/upload/", views.UploadPhotoView.as_view(), name="upload_photo"),
    path("photo/<int:pk>/<str:kind>/", views.PhotoFileView.as_view(), name="photo"),
    path("production/", views.BoardView.as_view(), name="board"),
    path("production/<int:pk>/next/", views.NextStageView.as_view(), name="move_next"),
    path("production/<int:pk>/pass/", views.PassQcView.as_view(), name="move_pass"),
    path("production/<int:pk>/fail/", views.FailQcView.as_view(), name="move_fail"),
    path("proofs/<str:number>/", views.ProofsView.as_view(), name="proofs"),
    path(
        "proofs/<str:number>/<int:pk>/upload/", views.UploadProofView.as_view(), name="upload_proof"
    ),
    path("proofs/<str:number>/show/", views.ShowProofsView.as_view(), name="show_proofs"),
    path("proofs/file/<int:pk>/", views.ProofFileView.as_view(), name="proof_file"),
    path("production/<int:pk>/resume/", views.ResumeView.as_view(), name="move_resume"),
    path("compensations/", views.CompensationListView.as_view(), name="compensations"),
    path(
        "compensations/complaint/<int:pk>/",
        views.ComplaintSettleView.as_view(),
        name="complaint_compensation",
    ),
    path(
        "compensations/delay/<int:pk>/", views.DelaySettleView.as_view(), name="delay_compensation"
    ),
    path(
        "compensations/<int:pk>/approve/",
        views.DecideCompensationView.as_view(approve=True),
        name="approve_compensation",
    ),
    path(
        "compensations/<int:pk>/reject/",
        views.DecideCompensationView.as_view(approve=False),
        name="reject_compensation",
    ),
    path("vouchers/order/<str:number>/", views.RedeemVoucherView.as_view(), name="redeem_voucher"),
    path(
        "vouchers/uses/<int:pk>/give-back/",
        views.GiveBackVoucherView.as_view(),
        name="give_back_voucher",
    ),
]
