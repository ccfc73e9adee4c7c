"""Hostile input on the selection's other forms: files received, picks, products, the
confirm step, the session's buttons and the production board's moves (QC fail reason,
resume): never a 500, nothing saved when refused."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders.models import LedgerEntry
from selection.models import Pick, PriceItem, ProductionItem, SelectionSession
from tests.hostile import hostile_posts, hostile_settings, hostile_value, post_hostile

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(SelectionSession.objects.order_by("pk").values()),
        Pick.objects.count(),
        list(ProductionItem.objects.order_by("pk").values()),
        LedgerEntry.objects.count(),
    )


@hostile_settings
@given(
    post=hostile_posts(["transferred", "complete", "photo_count", "note"]),
)
def test_the_files_form_never_fails_on_hostile_input(login, consultant, session, post):
    data = {f"s{session.pk}-{key}": value for key, value in post.items()}
    url = reverse("selection:files", args=[session.order.number])
    post_hostile(login(consultant), url, data, _state)


@hostile_settings
@given(
    post=hostile_posts(
        ["numbers", "pass_kind", "outfit", "retouch", "album_page", "action"],
        fixed={"pass_kind": "first", "action": "pick", "numbers": "1-5"},
    )
)
def test_the_pick_form_never_fails_on_hostile_input(login, consultant, session, post):
    url = reverse("selection:picks", args=[session.order.number])
    post_hostile(login(consultant), url, post, _state)


@hostile_settings
@given(
    post=hostile_posts(["price_item", "quantity", "photo_number", "pass_kind", "note"]),
    real_item=st.booleans(),
)
def test_the_product_form_never_fails_on_hostile_input(login, consultant, session, post, real_item):
    if real_item:
        post["price_item"] = str(PriceItem.objects.filter(branch=session.order.branch).first().pk)
    url = reverse("selection:products", args=[session.order.number])
    post_hostile(login(consultant), url, post, _state)


@hostile_settings
@given(
    post=hostile_posts(
        [
            "customer_signed",
            "waive_change_window",
            "discount",
            "approver_username",
            "approver_password",
            "pay_amount",
            "pay_method",
            "request_key",
        ],
        fixed={"customer_signed": "on", "pay_method": "cash"},
    )
)
def test_the_confirm_form_never_fails_on_hostile_input(login, consultant, session, post):
    from selection import services

    for pass_ in ("first", "keep", "confirmed"):
        services.pick(session=session, numbers=range(1, 11), pass_=pass_, by=consultant)
    url = reverse("selection:confirm", args=[session.order.number])
    post_hostile(login(consultant), url, post, _state)


@hostile_settings
@given(
    action=st.sampled_from(["start", "reopen", "send"]),
    post=st.dictionaries(st.sampled_from(["next", "pass_kind", "x"]), hostile_value),
)
def test_the_session_buttons_never_fail_on_hostile_input(login, consultant, session, action, post):
    url = reverse(f"selection:{action}", args=[session.order.number])
    post_hostile(login(consultant), url, post, _state)


@hostile_settings
@given(
    action=st.sampled_from(["next", "pass", "fail", "resume"]),
    post=hostile_posts(["reason", "from", "to"]),
)
def test_the_board_moves_never_fail_on_hostile_input(
    login, retoucher, production_order, action, post
):
    item = ProductionItem.objects.filter(order=production_order).first()
    url = reverse(f"selection:move_{action}", args=[item.pk])
    post_hostile(login(retoucher), url, post, _state)
