"""Fapiao requests (发票): what was asked, for whom, and what was issued."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orders import services
from orders.models import FapiaoRequest
from studio import roles

TAX_NUMBER = "91440300708461136T"
DAY = datetime.date(2026, 5, 1)


@pytest.fixture
def cashier(make_staff):
    return make_staff(roles.CASHIER, display_name="Sun Mei")


def ask(order, staff, amount="1000", **kwargs):
    kwargs.setdefault("title_kind", "company")
    kwargs.setdefault("title", "深圳市腾讯计算机系统有限公司")
    kwargs.setdefault("tax_number", TAX_NUMBER)
    return services.request_fapiao(order=order, amount=amount, staff=staff, **kwargs)


def test_a_company_request_keeps_its_checked_tax_number(order, receptionist):
    fapiao = ask(order, receptionist, tax_number="91440300 708461136t")
    assert fapiao.status == FapiaoRequest.Status.REQUESTED
    assert fapiao.tax_number == TAX_NUMBER


def test_a_personal_request_needs_no_tax_number(order, receptionist):
    fapiao = ask(order, receptionist, title_kind="personal", title="张三", tax_number="whatever")
    assert fapiao.tax_number == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tax_number": "91440300708461136X"}, "tax_number"),
        ({"tax_number": ""}, "tax_number"),
        ({"title": "  "}, "title"),
        ({"title_kind": "government"}, "title_kind"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
    ],
)
def test_bad_requests_are_refused_at_their_field(order, receptionist, changes, field):
    with pytest.raises(ValidationError) as caught:
        ask(order, receptionist, **changes)
    assert field in caught.value.message_dict
    assert not FapiaoRequest.objects.exists()


def test_no_more_is_invoiced_than_was_paid(order, receptionist, cashier):
    ask(order, receptionist, amount="1500")
    with pytest.raises(ValidationError) as caught:
        ask(order, receptionist, amount="500.01")
    assert "¥500.00" in caught.value.message_dict["amount"][0]
    last = ask(order, receptionist, amount="500")
    services.cancel_fapiao(fapiao=last, staff=cashier, reason="wrong title")
    assert services.invoiceable(order) == Decimal("500")
    # The order page sums the rows it has read: the same figure.
    assert _from_rows(order) == Decimal("500")


def _from_rows(order):
    from orders import selectors

    return services.invoiceable(
        order, entries=selectors.ledger_of(order), requests=selectors.fapiao_requests_of(order)
    )


def test_card_bonus_value_is_not_invoiced(order, receptionist, branch):
    from orders.models import CardBonusRule

    CardBonusRule.objects.create(branch=branch, top_up=Decimal("100"), bonus=Decimal("50"))
    card = services.open_card(customer=order.customer, staff=receptionist)
    services.top_up_card(card=card, method="cash", amount="100", staff=receptionist)
    services.pay_from_card(card=card, order=order, kind="balance", amount="150", staff=receptionist)
    assert order.paid == Decimal("2150")
    assert services.invoiceable(order) == Decimal("2100")
    assert _from_rows(order) == Decimal("2100")


def test_a_double_submit_records_one_request(order, receptionist):
    assert ask(order, receptionist, request_key="k") == ask(order, receptionist, request_key="k")
    assert FapiaoRequest.objects.count() == 1


def test_a_cashier_issues_it_with_number_and_date(order, receptionist, cashier):
    fapiao = ask(order, receptionist)
    day = datetime.date(2026, 5, 1)
    issued = services.issue_fapiao(
        fapiao=fapiao, number="044001900111", issued_on=day, staff=cashier
    )
    assert (issued.status, issued.fapiao_number, issued.issued_on) == (
        "issued",
        "044001900111",
        day,
    )
    assert issued.decided_by == cashier
    with pytest.raises(ValidationError, match="already Issued"):
        services.issue_fapiao(fapiao=fapiao, number="1", issued_on=day, staff=cashier)


def test_issuing_needs_a_number(order, receptionist, manager):
    fapiao = ask(order, receptionist)
    with pytest.raises(ValidationError) as caught:
        services.issue_fapiao(fapiao=fapiao, number=" ", issued_on=DAY, staff=manager)
    assert "number" in caught.value.message_dict


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - {roles.CASHIER, roles.MANAGER}))
def test_only_a_cashier_or_manager_issues_or_cancels(order, receptionist, make_staff, role):
    fapiao = ask(order, receptionist)
    someone = make_staff(role)
    with pytest.raises(PermissionDenied):
        services.issue_fapiao(fapiao=fapiao, number="1", issued_on=DAY, staff=someone)
    with pytest.raises(PermissionDenied):
        services.cancel_fapiao(fapiao=fapiao, staff=someone, reason="no")


def test_cancelling_needs_a_reason_and_happens_once(order, receptionist, manager):
    fapiao = ask(order, receptionist)
    with pytest.raises(ValidationError):
        services.cancel_fapiao(fapiao=fapiao, staff=manager, reason="")
    services.cancel_fapiao(fapiao=fapiao, staff=manager, reason="customer changed mind")
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel_fapiao(fapiao=fapiao, staff=manager, reason="again")
