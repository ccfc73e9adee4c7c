"""Races on a stored-value card (issue 14): two tills at once, on PostgreSQL."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders import services
from orders.models import CardEntry, LedgerEntry, Order, StoredValueCard
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def card(customer, receptionist):
    return services.open_card(customer=customer, staff=receptionist)


def test_two_top_ups_at_once_both_count_with_their_own_receipts(card, receptionist, manager):
    def top_up(staff, amount):
        return lambda: services.top_up_card(
            card=StoredValueCard.objects.get(pk=card.pk), method="cash", amount=amount, staff=staff
        )

    results = run_together(top_up(receptionist, "300"), top_up(manager, "700"))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert card.balance == Decimal("1000")
    assert sorted(card.entries.values_list("receipt_no", flat=True)) == [
        "SH1-R0000001",
        "SH1-R0000002",
    ]


def test_two_spends_of_the_last_balance_make_one_payment(
    card, receptionist, manager, make_order, order
):
    second_order = make_order()
    services.top_up_card(card=card, method="cash", amount="500", staff=receptionist)

    def spend(staff, on):
        return lambda: services.pay_from_card(
            card=StoredValueCard.objects.get(pk=card.pk),
            order=Order.objects.get(pk=on.pk),
            kind="balance",
            amount="500",
            staff=staff,
        )

    results = run_together(spend(receptionist, order), spend(manager, second_order))
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ValidationError)
    assert "holds only" in str(error)
    assert card.balance == Decimal("0")
    assert CardEntry.objects.filter(kind="spend").count() == 1
    assert LedgerEntry.objects.filter(method="stored").count() == 1


def test_the_same_card_payment_sent_twice_at_once_pays_once(card, receptionist, order):
    services.top_up_card(card=card, method="cash", amount="500", staff=receptionist)

    def spend():
        return services.pay_from_card(
            card=StoredValueCard.objects.get(pk=card.pk),
            order=Order.objects.get(pk=order.pk),
            kind="balance",
            amount="300",
            staff=receptionist,
            request_key="one-form",
        )

    results = run_together(spend, spend)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert card.balance == Decimal("200")


def test_two_fapiao_requests_at_once_never_pass_what_was_paid(order, receptionist, manager):
    from orders.models import FapiaoRequest

    def ask(staff):
        return lambda: services.request_fapiao(
            order=Order.objects.get(pk=order.pk),
            title_kind="personal",
            title="张三",
            amount="1500",
            staff=staff,
        )

    results = run_together(ask(receptionist), ask(manager))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert FapiaoRequest.objects.count() == 1
