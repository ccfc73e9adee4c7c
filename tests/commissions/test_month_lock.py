"""A manager locks a checked month: it never changes again; what arrives for it later is
credited to the next open month (commissions.services.lock_month)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissions import selectors, services
from commissions.models import Credit, StatementMonth
from orders.models import LedgerEntry
from studio.services import AlreadyDone

pytestmark = pytest.mark.django_db


def paid_at(order, when, staff, amount="1000", receipt="T-1"):
    """A payment recorded at `when` (the till's clock just before midnight)."""
    return LedgerEntry.objects.create(
        branch=order.branch, order=order, kind=LedgerEntry.Kind.BALANCE, method="cash",
        amount=Decimal(amount), receipt_no=receipt, staff=staff, created_at=when,
    )  # fmt: skip


def test_a_month_still_running_cannot_be_locked(branch, manager):
    with pytest.raises(ValidationError, match="once it is over"):
        services.lock_month(branch=branch, month=branch.today(), by=manager)
    assert not StatementMonth.objects.filter(locked_at__isnull=False).exists()


def test_locking_twice_says_it_is_already_done(branch, manager, last_month):
    services.lock_month(branch=branch, month=last_month, by=manager)
    with pytest.raises(AlreadyDone, match="Wang Fang"):
        services.lock_month(branch=branch, month=last_month, by=manager)


def test_money_for_an_open_month_is_credited_to_it(
    signing_rule, order, receptionist, in_last_month, last_month
):
    entry = paid_at(order, in_last_month, receptionist)
    assert Credit.objects.get(entry=entry).month == last_month


def test_money_for_a_locked_month_goes_to_the_next_open_month(
    signing_rule, order, receptionist, branch, manager, in_last_month, last_month
):
    paid_at(order, in_last_month, receptionist, receipt="T-1")
    services.lock_month(branch=branch, month=last_month, by=manager)
    before = selectors.branch_month(branch, last_month)

    late = paid_at(order, in_last_month, receptionist, receipt="T-2")

    credit = Credit.objects.get(entry=late)
    assert credit.month == branch.today().replace(day=1)
    assert credit.carried
    assert selectors.branch_month(branch, last_month) == before


def test_several_locked_months_are_skipped(
    signing_rule, order, receptionist, branch, manager, in_last_month, last_month
):
    earlier = (last_month - timedelta(days=1)).replace(day=1)
    services.lock_month(branch=branch, month=earlier, by=manager)
    services.lock_month(branch=branch, month=last_month, by=manager)
    entry = paid_at(order, in_last_month.replace(month=earlier.month, year=earlier.year),
                    receptionist)  # fmt: skip
    assert Credit.objects.get(entry=entry).month == branch.today().replace(day=1)


def test_a_locked_month_of_another_branch_does_not_move_this_ones_credits(
    signing_rule, order, receptionist, other_branch, manager, in_last_month, last_month
):
    services.lock_month(branch=other_branch, month=last_month, by=manager)
    entry = paid_at(order, in_last_month, receptionist)
    assert Credit.objects.get(entry=entry).month == last_month
