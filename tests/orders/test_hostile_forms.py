"""Hostile input on the order page's transition buttons (the note and where to go next):
never a 500, the order unchanged when refused."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders import services
from orders.models import LedgerEntry, Order
from tests.hostile import hostile_posts, hostile_settings, post_hostile

pytestmark = pytest.mark.django_db


def _state():
    return list(Order.objects.order_by("pk").values()), LedgerEntry.objects.count()


@hostile_settings
@given(
    name=st.sampled_from(sorted(services.TRANSITIONS)),
    post=hostile_posts(["note", "next"]),
)
def test_the_transition_buttons_never_fail_on_hostile_input(login, manager, order, name, post):
    url = reverse("orders:transition", args=[order.number, name])
    post_hostile(login(manager), url, post, _state)
