"""Hostile input on the rentals desk's other forms: the return's confirmation step, the
cancellation and the dress list's filter: never a 500, nothing saved when refused."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders.models import Charge, LedgerEntry
from rentals.models import DressReservation
from tests.hostile import (
    assert_answered,
    hostile_posts,
    hostile_settings,
    hostile_value,
    post_hostile,
)

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(DressReservation.objects.order_by("pk").values()),
        LedgerEntry.objects.count(),
        Charge.objects.count(),
    )


@hostile_settings
@given(
    post=hostile_posts(
        ["deductions", "reason", "refund_method", "confirmed"],
        fixed={"refund_method": "cash", "confirmed": "True"},
    )
)
def test_the_return_confirmation_never_fails_on_hostile_input(login, cashier, picked_up, post):
    url = reverse("rentals:return", args=[picked_up.pk])
    post_hostile(login(cashier), url, post, _state)


@hostile_settings
@given(post=hostile_posts(["reason"]))
def test_the_cancellation_never_fails_on_hostile_input(login, cashier, reservation, post):
    url = reverse("rentals:cancel", args=[reservation.pk])
    post_hostile(login(cashier), url, post, _state)


@hostile_settings
@given(query=st.dictionaries(st.sampled_from(["category", "size", "page"]), hostile_value))
def test_the_dress_filter_never_fails_on_hostile_input(login, receptionist, query):
    assert_answered(login(receptionist).get(reverse("rentals:dresses"), query))
