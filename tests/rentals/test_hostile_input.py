"""Hostile input on the dress rental forms: never a 500, nothing saved when refused."""

import pytest
from django.urls import reverse
from hypothesis import given

from orders.models import Charge, LedgerEntry
from rentals.models import DressReservation
from tests.hostile import assert_answered, hostile_posts, hostile_settings

pytestmark = pytest.mark.django_db

RESERVE = [
    "pickup_on",
    "return_on",
    "wedding_date",
    "bust",
    "waist",
    "hips",
    "height",
    "shoulder",
    "accessories",
    "rental_price",
    "deposit_amount",
]


def _state():
    return (
        list(DressReservation.objects.values_list("status", "id_number").order_by("pk")),
        LedgerEntry.objects.count(),
        Charge.objects.count(),
    )


@hostile_settings
@given(post=hostile_posts(RESERVE))
def test_the_reservation_form_never_fails_on_hostile_input(login, receptionist, order, dress, post):
    before = _state()
    url = reverse("rentals:reserve", args=[order.number])
    response = login(receptionist).post(url, {"dress": dress.pk, **post})
    assert_answered(response)
    if response.status_code != 302:
        assert _state() == before


@hostile_settings
@given(
    post=hostile_posts(
        ["id_type", "id_number", "deposit_method"],
        fixed={"id_type": "id_card", "deposit_method": "cash"},
    )
)
def test_the_pick_up_form_never_fails_on_hostile_input(login, cashier, reservation, post):
    before = _state()
    response = login(cashier).post(reverse("rentals:pick_up", args=[reservation.pk]), post)
    assert_answered(response)
    if response.status_code != 302:
        assert _state() == before


@hostile_settings
@given(post=hostile_posts(["deductions", "reason", "refund_method"], {"refund_method": "cash"}))
def test_the_return_form_never_fails_on_hostile_input(login, cashier, picked_up, post):
    before = _state()
    response = login(cashier).post(reverse("rentals:return_preview", args=[picked_up.pk]), post)
    assert_answered(response)
    if response.status_code != 302:
        assert _state() == before


def test_a_return_on_9999_12_31_is_a_form_error(login, receptionist, order, dress, in_a_week):
    post = {"dress": dress.pk, "pickup_on": in_a_week.isoformat(), "return_on": "9999-12-31"}
    response = login(receptionist).post(reverse("rentals:reserve", args=[order.number]), post)
    assert response.status_code == 400
    assert "too far ahead" in response.context["form"].errors["return_on"][0]
    assert not DressReservation.objects.exists()


def test_a_rental_price_above_the_branch_ceiling_is_refused(
    login, receptionist, order, dress, in_a_week
):
    post = {
        "dress": dress.pk,
        "pickup_on": in_a_week.isoformat(),
        "return_on": in_a_week.isoformat(),
        "rental_price": "99999999.99",
    }
    response = login(receptionist).post(reverse("rentals:reserve", args=[order.number]), post)
    assert response.status_code == 400
    assert response.context["form"].errors["rental_price"]
    assert not DressReservation.objects.exists()
