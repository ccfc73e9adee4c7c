"""Two desks type the same voucher code at once, on two orders of the couple: its value is
taken once. The voucher's row is locked before what is left of it is read; without that
lock both desks read the whole value and both take it (the pause below, between the read
and the write, makes that certain rather than likely)."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders.models import Charge, Order
from selection import services
from selection.models import Compensation, VoucherUse
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def voucher(complaint, customer_service, manager):
    proposed = services.propose_compensation(
        by=customer_service, complaint=complaint, kind="voucher", amount="300",
        expires_on=complaint.branch.today() + timedelta(days=30), reason="Scratched cover",
    )  # fmt: skip
    return services.approve_compensation(compensation=proposed, by=manager)


@pytest.fixture
def slow_write(monkeypatch):
    """Each desk pauses after reading what is left of the voucher, before writing its use."""
    add_charge = services.orders.add_charge

    def slowly(**kwargs):
        time.sleep(0.3)
        return add_charge(**kwargs)

    monkeypatch.setattr(services.orders, "add_charge", slowly)


def _redeem(order, code, staff, **kwargs):
    return lambda: services.redeem_voucher(
        order=Order.objects.get(pk=order.pk), code=code, staff=staff, **kwargs
    )


def test_two_desks_using_the_same_voucher_at_once_take_its_value_once(
    voucher, complaint, make_order, receptionist, manager, slow_write
):
    first, second = complaint.order, make_order()
    results = run_together(
        _redeem(first, voucher.voucher_code, receptionist),
        _redeem(second, voucher.voucher_code, manager),
    )
    assert sorted(kind for kind, _r in results) == ["error", "ok"], results
    refused = next(r for kind, r in results if kind == "error")
    assert isinstance(refused, ValidationError) and "is used up" in str(refused)
    assert [u.amount for u in VoucherUse.objects.all()] == [Decimal("300.00")]
    assert Compensation.objects.get(pk=voucher.pk).left == Decimal("0.00")
    assert Charge.objects.filter(kind="voucher").count() == 1
    balances = sorted(Order.objects.get(pk=o.pk).balance_due for o in (first, second))
    assert balances == [Decimal("6500.00"), Decimal("6800.00")]


def test_two_parts_at_once_never_take_more_than_the_voucher_holds(
    voucher, complaint, make_order, receptionist, manager, slow_write
):
    first, second = complaint.order, make_order()
    results = run_together(
        _redeem(first, voucher.voucher_code, receptionist, amount="200"),
        _redeem(second, voucher.voucher_code, manager, amount="200"),
    )
    assert sorted(kind for kind, _r in results) == ["error", "ok"], results
    refused = next(r for kind, r in results if kind == "error")
    assert "has only ¥100.00 left" in str(refused)
    assert sum(u.amount for u in VoucherUse.objects.all()) == Decimal("200.00")


def test_the_same_form_sent_twice_at_once_uses_the_voucher_once(voucher, complaint, receptionist):
    order = complaint.order
    results = run_together(
        *(_redeem(order, voucher.voucher_code, receptionist, amount="100", request_key="k1")
          for _n in range(2))
    )  # fmt: skip
    assert [kind for kind, _r in results] == ["ok", "ok"], results
    assert results[0][1] == results[1][1]
    assert VoucherUse.objects.count() == 1
    assert Order.objects.get(pk=order.pk).balance_due == Decimal("6700.00")
