"""Races on PostgreSQL: two people pressing the same button, two tills taking money at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import services
from orders.models import LedgerEntry, Order, State
from shoots.models import Shoot
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_staff_firing_the_same_transition_make_one(order, manager, receptionist):
    start = timezone.now() + timedelta(days=8)
    Shoot.objects.create(
        order=order,
        branch=order.branch,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        created_by=manager,
    )

    def schedule(user):
        return lambda: services.transition_order(
            order=Order.objects.get(pk=order.pk), name="schedule", by=user
        )

    results = run_together(schedule(manager.user), schedule(receptionist.user))
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.AlreadyDone)
    assert "Already done" in error.messages[0]
    from django_fsm_log.models import StateLog

    assert StateLog.objects.for_(order).count() == 1
    assert Order.objects.get(pk=order.pk).state == State.SCHEDULED


def test_concurrent_payments_get_distinct_gapless_receipt_numbers(order, receptionist):
    def pay():
        return services.take_payment(
            order=Order.objects.get(pk=order.pk),
            kind=LedgerEntry.Kind.BALANCE,
            method="cash",
            amount="100",
            staff=receptionist,
        )

    results = run_together(*[pay for _ in range(8)])
    assert all(kind == "ok" for kind, _ in results), results
    numbers = sorted(order.ledger.values_list("receipt_no", flat=True))
    assert numbers == [f"SH1-R{n:07d}" for n in range(1, 10)]


def test_concurrent_payments_never_take_more_than_is_due(order, receptionist):
    def pay():
        return services.take_payment(
            order=Order.objects.get(pk=order.pk),
            kind=LedgerEntry.Kind.BALANCE,
            method="cash",
            amount="6000",
            staff=receptionist,
        )

    results = run_together(pay, pay)
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert Order.objects.get(pk=order.pk).balance_due == 800


def test_eight_orders_of_one_branch_paid_at_once_get_receipts_without_a_gap(
    make_order, receptionist
):
    """Eight tills, eight different orders: only the branch's receipt counter serialises
    them (each order's own lock does not), so a lost lock shows as a duplicate or a gap."""
    orders = [make_order() for _ in range(8)]
    branch = orders[0].branch
    before = LedgerEntry.objects.filter(branch=branch).count()

    def pay(order):
        return lambda: services.take_payment(
            order=Order.objects.get(pk=order.pk),
            kind=LedgerEntry.Kind.BALANCE,
            method="cash",
            amount="100",
            staff=receptionist,
        )

    results = run_together(*[pay(o) for o in orders])
    assert all(kind == "ok" for kind, _ in results), results
    issued = sorted(entry.receipt_no for _, entry in results)
    assert issued == [f"SH1-R{n:07d}" for n in range(before + 1, before + 9)]
    every = sorted(LedgerEntry.objects.filter(branch=branch).values_list("receipt_no", flat=True))
    assert every == [f"SH1-R{n:07d}" for n in range(1, before + 9)]


def test_one_payment_form_sent_twice_at_once_takes_the_balance_once(order, receptionist):
    """A double click on "Take payment" with the whole balance: the second press waits for
    the first and answers with its receipt, not with "more than is due"."""
    due = order.balance_due

    def pay():
        return services.take_payment(
            order=Order.objects.get(pk=order.pk),
            kind=LedgerEntry.Kind.BALANCE,
            method="cash",
            amount=due,
            staff=receptionist,
            request_key="same-form",
        )

    results = run_together(pay, pay)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1].pk == results[1][1].pk
    assert order.ledger.filter(request_key="same-form").count() == 1
    assert Order.objects.get(pk=order.pk).balance_due == 0


def test_one_signing_form_sent_twice_at_once_signs_one_order(customer, package, receptionist):
    def sign():
        return services.create_order(
            customer=customer,
            package=package,
            owner=receptionist,
            created_by=receptionist,
            deposit="1000",
            deposit_method="cash",
            request_key="same-planning-document",
        )

    results = run_together(sign, sign)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1].pk == results[1][1].pk
    assert Order.objects.filter(customer=customer).count() == 1
    assert LedgerEntry.objects.filter(request_key="same-planning-document").count() == 1
