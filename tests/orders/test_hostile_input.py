"""Hostile input on the money forms: never a 500, nothing written to the ledger when
refused."""

import pytest
from django.urls import reverse
from hypothesis import given

from orders.models import Charge, LedgerEntry, Order
from tests.hostile import assert_answered, hostile_posts, hostile_settings

pytestmark = pytest.mark.django_db


def _money():
    return (LedgerEntry.objects.count(), Charge.objects.count(), Order.objects.count())


@hostile_settings
@given(
    post=hostile_posts(
        ["kind", "method", "amount", "note", "request_key"],
        fixed={"kind": "balance", "method": "cash"},
    )
)
def test_the_payment_form_never_fails_on_hostile_input(login, receptionist, order, post):
    before = _money()
    response = login(receptionist).post(reverse("orders:pay", args=[order.number]), post)
    assert_answered(response)
    if response.status_code != 302:
        assert _money() == before


@hostile_settings
@given(
    post=hostile_posts(
        [
            "discount",
            "approver_username",
            "approver_password",
            "gifts",
            "style_wishes",
            "notes",
            "wanted_shoot_month",
            "deposit",
            "deposit_method",
            "approval",
            "request_key",
        ],
        fixed={"deposit_method": "cash"},
    )
)
def test_the_signing_form_never_fails_on_hostile_input(
    login, receptionist, customer, package, post
):
    before = _money()
    url = reverse("orders:sign", args=[customer.pk])
    response = login(receptionist).post(url, {"package": package.pk, **post})
    assert_answered(response)
    if response.status_code != 302:
        assert _money() == before


def test_a_request_key_too_long_is_a_form_error(login, receptionist, order):
    post = {"kind": "balance", "method": "cash", "amount": "100", "request_key": "k" * 65}
    response = login(receptionist).post(reverse("orders:pay", args=[order.number]), post)
    assert response.status_code == 400
    assert response.context["payment_form"].errors["request_key"]
    assert not LedgerEntry.objects.filter(kind="balance").exists()


def test_a_payment_above_the_branch_ceiling_is_refused(login, receptionist, order, branch):
    branch.amount_ceiling = 50
    branch.save()
    post = {"kind": "balance", "method": "cash", "amount": "50.01", "request_key": "k1"}
    response = login(receptionist).post(reverse("orders:pay", args=[order.number]), post)
    assert response.status_code == 400
    assert "¥50.00" in response.context["payment_form"].errors["amount"][0]
    post["amount"], post["request_key"] = "50.00", "k2"
    response = login(receptionist).post(reverse("orders:pay", args=[order.number]), post)
    assert response.status_code == 302
