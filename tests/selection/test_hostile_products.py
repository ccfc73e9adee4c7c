"""Hostile input on the selection session's product and pick forms: never a 500."""

import pytest
from django.urls import reverse
from hypothesis import given

from selection.models import Pick
from tests.hostile import assert_answered, hostile_posts, hostile_settings

pytestmark = pytest.mark.django_db


@hostile_settings
@given(post=hostile_posts(["price_item", "quantity", "photo_number"]))
def test_the_product_form_never_fails_on_hostile_input(login, consultant, session, post):
    url = reverse("selection:products", args=[session.order.number])
    assert_answered(login(consultant).post(url, post))


@hostile_settings
@given(
    post=hostile_posts(
        ["numbers", "pass_kind", "outfit", "retouch", "album_page", "action"],
        fixed={"pass_kind": "first", "action": "pick"},
    )
)
def test_the_pick_form_never_fails_on_hostile_input(login, consultant, session, post):
    before = Pick.objects.count()
    url = reverse("selection:picks", args=[session.order.number])
    response = login(consultant).post(url, post)
    assert_answered(response)
    if response.status_code >= 400:
        assert Pick.objects.count() == before
