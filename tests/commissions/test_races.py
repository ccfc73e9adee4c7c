"""Races on PostgreSQL: an entry credited by two workers at once, a month locked while a
payment for it is being recorded."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import transaction

from commissions import services
from commissions.models import Credit, Reckoned, StatementMonth
from orders.models import LedgerEntry
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def _payment(order, when, staff):
    return LedgerEntry.objects.create(
        branch=order.branch, order=order, kind=LedgerEntry.Kind.BALANCE, method="cash",
        amount=Decimal("1000"), receipt_no="T-1", staff=staff, created_at=when,
    )  # fmt: skip


def test_two_workers_crediting_one_entry_credit_it_once(signing_rule, order):
    deposit = order.ledger.get()
    # As a bulk load leaves an entry: not credited yet.
    Credit.objects.all()._raw_delete(Credit.objects.db)
    Reckoned.objects.all()._raw_delete(Reckoned.objects.db)

    def credit():
        return services.credit_entry(entry=LedgerEntry.objects.get(pk=deposit.pk))

    results = run_together(credit, credit)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert sorted(len(value) for _, value in results) == [0, 1]
    assert Credit.objects.filter(entry=deposit).count() == 1


def test_a_month_locked_while_a_payment_for_it_is_recorded_waits_for_it(
    signing_rule, order, receptionist, branch, manager, in_last_month, last_month
):
    StatementMonth.objects.create(branch=branch, month=last_month)  # earlier payments made it
    recording, go = threading.Event(), threading.Event()
    finished = {}

    def pay():
        with transaction.atomic():
            entry = _payment(order, in_last_month, receptionist)
            recording.set()
            go.wait(10)
        finished["payment"] = time.monotonic()
        return entry

    def lock():
        recording.wait(10)
        row = services.lock_month(branch=branch, month=last_month, by=manager)
        finished["lock"] = time.monotonic()
        return row

    def release():
        recording.wait(10)
        time.sleep(0.5)  # the lock has reached the month's row and waits
        go.set()

    results = run_together(pay, lock, release)
    assert [kind for kind, _ in results] == ["ok", "ok", "ok"], results
    credit = Credit.objects.get(entry=results[0][1])
    assert credit.month == last_month
    assert finished["lock"] > finished["payment"]  # it locked what it had checked, with this
    assert StatementMonth.objects.get(branch=branch, month=last_month).is_locked


def test_a_payment_arriving_while_its_month_is_being_locked_goes_to_the_next_month(
    signing_rule, order, receptionist, branch, manager, in_last_month, last_month
):
    StatementMonth.objects.create(branch=branch, month=last_month)  # earlier payments made it
    locking, go = threading.Event(), threading.Event()

    def lock():
        with transaction.atomic():
            services.lock_month(branch=branch, month=last_month, by=manager)
            locking.set()
            go.wait(10)

    def pay():
        locking.wait(10)
        return _payment(order, in_last_month, receptionist)

    def release():
        locking.wait(10)
        time.sleep(0.5)
        go.set()

    results = run_together(lock, pay, release)
    assert [kind for kind, _ in results] == ["ok", "ok", "ok"], results
    credit = Credit.objects.get(entry=results[1][1])
    assert credit.month == branch.today().replace(day=1)
    assert not Credit.objects.filter(month=last_month).exists()
