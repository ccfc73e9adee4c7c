"""Refunds go back the way the money came: what was paid from a stored-value card goes back
onto the card, never out in cash; what was paid at the desk goes back at the desk."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orders import services
from orders.models import CardBonusRule, CardEntry, LedgerEntry, Order, StoredValueCard
from orders.views import REFUNDS
from studio import roles
from tests.factories import StaffFactory
from tests.races import run_together


@pytest.fixture
def cashier(make_staff):
    return make_staff(roles.CASHIER, display_name="Chen Jing")


@pytest.fixture
def card(customer, receptionist, branch):
    CardBonusRule.objects.create(branch=branch, top_up=Decimal("1000"), bonus=Decimal("200"))
    card = services.open_card(customer=customer, staff=receptionist)
    services.top_up_card(card=card, method="cash", amount="1000", staff=receptionist)
    return card


@pytest.fixture
def paid(order, card, receptionist):
    """2,000 paid by WeChat at signing and 1,200 from the card (1,000 money, 200 bonus)."""
    services.pay_from_card(
        card=card, order=order, kind="balance", amount="1200", staff=receptionist
    )
    return Order.objects.get(pk=order.pk)


def card_refund(order, staff, amount, **kwargs):
    return services.give_back(
        order=order, method="stored", amount=amount, staff=staff, note="Album dropped", **kwargs
    )


def test_what_was_paid_from_the_card_goes_back_onto_it_bonus_first(paid, card, cashier):
    entries = card_refund(paid, cashier, "300")
    assert [(e.kind, e.method, e.amount) for e in entries] == [
        ("card_bonus", "stored", Decimal("-200.00")),
        ("refund", "stored", Decimal("-100.00")),
    ]
    assert card.balances == (Decimal("100.00"), Decimal("200.00"))
    back = CardEntry.objects.filter(kind="returned").order_by("pk")
    assert [(e.receipt_no, e.real, e.bonus) for e in back] == [
        (entries[0].receipt_no, Decimal("0"), Decimal("200")),
        (entries[1].receipt_no, Decimal("100"), Decimal("0")),
    ]
    assert paid.paid == Decimal("2900.00")


def test_card_money_never_goes_out_at_the_desk(paid, cashier):
    with pytest.raises(ValidationError) as refused:
        services.refund(order=paid, method="cash", amount="2500", staff=cashier, note="x")
    assert (
        "Only ¥2,000.00 was paid at the desk; money paid from the stored-value card goes back "
        "onto the card." in refused.value.message_dict["amount"]
    )
    with pytest.raises(ValidationError) as refused:
        services.refund(order=paid, method="stored", amount="100", staff=cashier, note="x")
    assert "goes back onto the card" in refused.value.message_dict["method"][0]
    assert not LedgerEntry.objects.filter(amount__lt=0).exists()


def test_no_more_goes_back_onto_the_card_than_came_from_it(paid, card, cashier):
    with pytest.raises(ValidationError) as refused:
        card_refund(paid, cashier, "1200.01")
    assert "Only ¥1,200.00 was paid from the stored-value card" in str(refused.value)
    assert card.balance == Decimal("0")


def test_an_order_paid_only_at_the_desk_has_nothing_to_give_to_a_card(order, cashier):
    with pytest.raises(ValidationError) as refused:
        card_refund(order, cashier, "1")
    assert "Only ¥0.00 was paid from the stored-value card" in str(refused.value)


def test_a_mixed_payment_goes_back_both_ways_and_then_nothing_is_left(paid, card, cashier):
    services.refund(order=paid, method="wechat", amount="2000", staff=cashier, note="cancel")
    assert [m for m, _ in services.refund_methods(paid)] == ["stored"]
    card_refund(paid, cashier, "1200")
    assert paid.paid == Decimal("0")
    assert card.balances == (Decimal("1000.00"), Decimal("200.00"))
    assert services.refund_methods(paid) == []
    with pytest.raises(ValidationError):
        services.refund(order=paid, method="cash", amount="1", staff=cashier, note="x")


def test_a_double_submit_gives_back_once(paid, card, cashier):
    first = card_refund(paid, cashier, "300", request_key="k1")
    again = card_refund(paid, cashier, "300", request_key="k1")
    assert [e.pk for e in again] == [e.pk for e in first]
    assert card.balance == Decimal("300")


def test_a_refund_onto_the_card_spent_again_cannot_be_reversed(paid, card, cashier, make_order):
    [entry] = card_refund(paid, cashier, "200")
    services.pay_from_card(
        card=card, order=make_order(), kind="balance", amount="200", staff=cashier
    )
    with pytest.raises(ValidationError) as refused:
        services.reverse_entry(entry=entry, staff=cashier, note="typo")
    assert "no longer holds" in str(refused.value)


# --- The order page's refund form ---


def test_the_form_offers_only_the_ways_the_money_came(login, cashier, paid, order):
    form = login(cashier).get(paid.get_absolute_url()).context["refund_form"]
    methods = [m for m, _ in form.fields["method"].choices]
    assert methods == ["stored", *LedgerEntry.Method.values]
    services.refund(order=paid, method="wechat", amount="2000", staff=cashier, note="x")
    form = login(cashier).get(paid.get_absolute_url()).context["refund_form"]
    assert [m for m, _ in form.fields["method"].choices] == ["stored"]


def test_it_gives_back_onto_the_card_from_the_order_page(login, cashier, paid, card):
    response = login(cashier).post(
        reverse("orders:refund", args=[paid.number]),
        {"method": "stored", "amount": "500", "note": "Frame dropped", "request_key": "r1"},
        follow=True,
    )
    assert "Refund recorded" in response.text
    assert card.balance == Decimal("500")


def test_a_cash_refund_of_card_money_is_refused_with_a_sentence(login, cashier, paid):
    response = login(cashier).post(
        reverse("orders:refund", args=[paid.number]),
        {"method": "cash", "amount": "3000", "note": "x", "request_key": "r2"},
    )
    assert response.status_code == 400
    assert "goes back onto the card" in response.text
    assert not LedgerEntry.objects.filter(amount__lt=0).exists()


def test_a_card_refund_of_an_order_paid_at_the_desk_is_not_offered(login, cashier, order):
    response = login(cashier).post(
        reverse("orders:refund", args=[order.number]),
        {"method": "stored", "amount": "10", "note": "x", "request_key": "r3"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_it_rejects_get(login, cashier, paid):
    assert login(cashier).get(reverse("orders:refund", args=[paid.number])).status_code == 405


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - REFUNDS - {roles.CHAIN_MANAGER}))
def test_other_roles_may_not_refund(login, make_staff, paid, role):
    response = login(make_staff(role)).post(
        reverse("orders:refund", args=[paid.number]),
        {"method": "wechat", "amount": "10", "note": "x", "request_key": "r4"},
    )
    assert response.status_code == 403
    assert not LedgerEntry.objects.filter(amount__lt=0).exists()


def test_another_branch_may_not_refund(login, other_branch, paid):
    stranger = StaffFactory(roles=[roles.CASHIER], branches=[other_branch])
    response = login(stranger).post(
        reverse("orders:refund", args=[paid.number]),
        {"method": "wechat", "amount": "10", "note": "x", "request_key": "r5"},
    )
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_card_refunds_at_once_never_give_back_more_than_the_card_paid(
    paid, card, cashier, manager, is_postgres
):
    if not is_postgres:
        pytest.skip("row locks")

    def give(staff):
        return lambda: card_refund(Order.objects.get(pk=paid.pk), staff, "1000")

    results = run_together(give(cashier), give(manager))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert StoredValueCard.objects.get(pk=card.pk).balance == Decimal("1000")
    assert services.refundable(paid)["card"] == Decimal("200")
