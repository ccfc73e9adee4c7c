"""The desk's page of lower totals to settle: the cashier refunds or keeps each difference;
who may use it, another branch, bad input, and a steady number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import LedgerEntry
from orders.services import take_payment
from selection.models import LoweredUpsell
from selection.views import DIFFERENCE_ROLES
from studio import roles
from tests.factories import StaffFactory

# Written out, so a role added to the view's set is a failing test, not a shorter list.
REFUSED = sorted(set(roles.ALL) - {roles.CASHIER, roles.MANAGER, roles.CHAIN_MANAGER})
LIST = reverse("selection:lowered")


@pytest.fixture
def cashier(make_staff):
    return make_staff(roles.CASHIER, display_name="Sun Mei")


@pytest.fixture
def lowered(order):
    """A difference waiting (the service that makes one is tested in test_lowered_total)."""
    return LoweredUpsell.objects.create(order=order, amount=Decimal("200.00"))


def _settle(lowered):
    return reverse("selection:settle_lowered", args=[lowered.pk])


def _form(lowered, **data):
    return {f"l{lowered.pk}-{key}": value for key, value in data.items()}


def test_the_cashier_sees_what_waits_and_keeps_it_as_credit(login, cashier, lowered):
    client = login(cashier)
    page = client.get(LIST)
    assert page.status_code == 200
    assert lowered.order.number in page.text and "¥200.00" in page.text
    response = client.post(_settle(lowered), _form(lowered, decision="keep"))
    assert response.status_code == 302 and response["Location"] == LIST
    lowered.refresh_from_db()
    assert (lowered.decision, lowered.decided_by) == ("kept", cashier)
    page = client.get(LIST)
    assert 'data-testid="lowered-row"' not in page.text
    assert "¥200.00 kept as credit" in page.text


def test_the_refund_goes_through_the_ledger(login, cashier, lowered, order):
    take_payment(order=order, kind="selection_upsell", method="cash", amount="200", staff=cashier)
    client = login(cashier)
    response = client.post(
        _settle(lowered), _form(lowered, decision="refund", method="alipay", amount="200")
    )
    assert response.status_code == 302
    entry = order.ledger.get(kind=LedgerEntry.Kind.REFUND)
    assert (entry.amount, entry.method, entry.staff) == (Decimal("-200.00"), "alipay", cashier)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose: refund the money or keep it as credit."),
        ({"decision": "refund", "amount": "200"}, "Choose how the money is given back."),
        ({"decision": "refund", "method": "cash", "amount": "250"}, "at most the difference"),
        ({"decision": "refund", "method": "cash", "amount": "abc"}, "Enter a number."),
        ({"decision": "refund", "method": "cash"}, "Enter an amount"),
        ({"decision": "give it all away"}, "Select a valid choice."),
    ],
)
def test_bad_input_says_why_and_saves_nothing(login, cashier, lowered, data, message):
    response = login(cashier).post(_settle(lowered), _form(lowered, **data))
    assert response.status_code == 400
    assert message in response.text
    lowered.refresh_from_db()
    assert lowered.decision == "pending"
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).exists()


def test_a_second_submit_is_told_it_is_done(login, cashier, lowered):
    client = login(cashier)
    client.post(_settle(lowered), _form(lowered, decision="keep"))
    response = client.post(_settle(lowered), _form(lowered, decision="keep"), follow=True)
    assert "Already decided" in response.text


def test_the_view_lets_in_the_cashier_and_the_manager():
    assert {roles.CASHIER, roles.MANAGER} == DIFFERENCE_ROLES


def test_the_wrong_method_is_refused(login, cashier, lowered):
    client = login(cashier)
    assert client.get(_settle(lowered)).status_code == 405
    assert client.post(LIST).status_code == 405


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_not_settle(login, make_staff, lowered, role):
    client = login(make_staff(role))
    assert client.get(LIST).status_code == 403
    assert client.post(_settle(lowered), _form(lowered, decision="keep")).status_code == 403
    lowered.refresh_from_db()
    assert lowered.decision == "pending"


def test_another_branchs_difference_is_out_of_reach(login, lowered, other_branch):
    stranger = StaffFactory(roles=[roles.CASHIER], branches=[other_branch])
    client = login(stranger)
    assert lowered.order.number not in client.get(LIST).text
    response = client.post(_settle(lowered), _form(lowered, decision="keep"))
    assert response.status_code == 404
    lowered.refresh_from_db()
    assert lowered.decision == "pending"


def test_the_list_takes_the_same_queries_for_few_or_many(
    login, cashier, lowered, make_order, django_assert_max_num_queries
):
    client = login(cashier)
    with django_assert_max_num_queries(30) as few:
        client.get(LIST)
    for _ in range(4):
        other = make_order()
        LoweredUpsell.objects.create(order=other, amount=Decimal("50"))
        settled = LoweredUpsell.objects.create(order=other, amount=Decimal("30"), decision="kept")
        LoweredUpsell.objects.filter(pk=settled.pk).update(decided_by=cashier)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
