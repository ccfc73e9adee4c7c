from django.urls import path

from . import views

app_name = "couple"
urlpatterns = [
    # The couple's own page, by its private link (no login).
    path("c/<str:token>/", views.page, name="page"),
    path("c/<str:token>/code/send/", views.send_pin, name="send_pin"),
    path("c/<str:token>/code/", views.check_pin, name="check_pin"),
    path("c/<str:token>/proofs/<int:pk>/", views.answer_proof, name="answer_proof"),
    path("c/<str:token>/proofs/<int:pk>/file/", views.proof_file, name="proof_file"),
    path("c/<str:token>/photos/<int:pk>/", views.photo_file, name="photo"),
    path("c/<str:token>/photos/<int:pk>/favourite/", views.mark_favourite, name="favourite"),
    path("c/<str:token>/photos/<int:pk>/note/", views.write_note, name="note"),
    # Staff.
    path("couple/orders/<str:number>/", views.LinksView.as_view(), name="links"),
    path("couple/orders/<str:number>/new/", views.MakeLinkView.as_view(), name="make_link"),
    path(
        "couple/orders/<str:number>/<int:pk>/revoke/",
        views.RevokeLinkView.as_view(),
        name="revoke_link",
    ),
]
