"""Hostile input on the pickup forms: never a 500, nothing saved when refused."""

import pytest
from django.urls import reverse
from hypothesis import given

from orders.models import Charge, LedgerEntry
from pickup.models import LostSlipMemo, PickupAppointment
from tests.hostile import assert_answered, hostile_posts, hostile_settings

pytestmark = pytest.mark.django_db


def _state():
    return (
        PickupAppointment.objects.count(),
        LostSlipMemo.objects.count(),
        LedgerEntry.objects.count(),
        Charge.objects.count(),
    )


@hostile_settings
@given(post=hostile_posts(["date", "time", "clerk", "note"]))
def test_the_booking_form_never_fails_on_hostile_input(login, receptionist, ready_order, post):
    before = _state()
    url = reverse("pickup:book", args=[ready_order.number])
    response = login(receptionist).post(url, post)
    assert_answered(response)
    if response.status_code != 302:
        assert _state() == before


@hostile_settings
@given(
    action=__import__("hypothesis").strategies.sampled_from(["slip", "extra", "pay"]),
    post=hostile_posts(
        [
            "slip-slip_number",
            "slip-lost_slip_id_type",
            "slip-lost_slip_id_number",
            "extra-price_item",
            "extra-quantity",
            "extra-method",
            "extra-request_key",
            "pay-kind",
            "pay-method",
            "pay-amount",
            "pay-request_key",
        ],
        fixed={"slip-lost_slip_id_type": "id_card", "extra-method": "cash", "pay-method": "cash"},
    ),
)
def test_the_desk_forms_never_fail_on_hostile_input(login, pickup_clerk, pickup, action, post):
    before = _state()
    url = reverse(f"pickup:desk_{action}", args=[pickup.pk])
    response = login(pickup_clerk).post(url, post)
    assert_answered(response)
    if response.status_code != 302:
        assert _state() == before


def test_a_lost_slip_with_a_wrong_id_number_is_refused(login, pickup_clerk, pickup):
    post = {
        "slip-lost_slip_id_type": "id_card",
        "slip-lost_slip_id_number": "123",
    }
    response = login(pickup_clerk).post(reverse("pickup:desk_slip", args=[pickup.pk]), post)
    assert response.status_code == 400
    assert response.context["slip_form"].errors["lost_slip_id_number"]
    assert not LostSlipMemo.objects.exists()
