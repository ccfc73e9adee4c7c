"""A payment plan: dates and amounts summing to the balance due, paid in date order from the
ledger, changed only with a reason, every version kept."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from orders import selectors, services
from orders.models import Instalment, LedgerEntry, PlanRevision

D = Decimal


def days(n):
    from django.utils import timezone

    return timezone.localdate() + timedelta(days=n)


def plan(order, receptionist, *rows, reason=""):
    return services.set_payment_plan(
        order=order, instalments=list(rows), by=receptionist, reason=reason
    )


def pay(order, receptionist, amount):
    return services.take_payment(
        order=order, kind="balance", method="cash", amount=amount, staff=receptionist
    )


def test_it_sets_a_plan_summing_to_the_balance(order, receptionist):
    revision = plan(order, receptionist, (days(10), "3000"), (days(40), "3800"))
    assert revision.number == 1 and revision.balance_then == D("6800.00")
    assert [(i.due_on, i.amount) for i in revision.instalments.order_by("due_on")] == [
        (days(10), D("3000.00")),
        (days(40), D("3800.00")),
    ]


def test_a_plan_that_does_not_sum_to_the_balance_is_refused(order, receptionist):
    with pytest.raises(ValidationError) as refused:
        plan(order, receptionist, (days(10), "3000"), (days(40), "3000"))
    assert "must sum to exactly the balance" in str(refused.value)
    assert not Instalment.objects.exists()


@pytest.mark.parametrize(
    "rows, words",
    [
        ([], "at least one date"),
        ([(-1, "6800")], "in the past"),
        ([(5, "3400"), (5, "3400")], "each date once"),
        ([(5, "0")], "more than zero"),
        ([(5, "6799.999")], "fen"),
    ],
)
def test_bad_plans_are_refused_and_nothing_is_saved(order, receptionist, rows, words):
    with pytest.raises(ValidationError) as refused:
        plan(order, receptionist, *[(days(d), a) for d, a in rows])
    assert words in str(refused.value).lower() or words in str(refused.value)
    assert not PlanRevision.objects.exists()


def test_payments_pay_the_instalments_in_date_order(order, receptionist):
    plan(order, receptionist, (days(40), "3800"), (days(10), "3000"))
    pay(order, receptionist, "3500")
    state = selectors.plan_of(order)
    assert [(i.paid, i.unpaid) for i in state.instalments] == [
        (D("3000.00"), D("0.00")),
        (D("500.00"), D("3300.00")),
    ]


def test_a_refund_makes_an_instalment_unpaid_again(order, receptionist):
    plan(order, receptionist, (days(10), "3000"), (days(40), "3800"))
    pay(order, receptionist, "3000")
    services.refund(order=order, method="cash", amount="1000", staff=receptionist, note="oops")
    first = selectors.plan_of(order).instalments[0]
    assert first.paid == D("2000.00") and first.unpaid == D("1000.00")


def test_an_extra_owed_beyond_the_plan_is_shown_and_paid_first(order, receptionist):
    plan(order, receptionist, (days(10), "6800"))
    services.add_charge(
        order=order, kind="selection_upsell", amount="500", description="page", staff=receptionist
    )
    assert selectors.plan_of(order).beyond == D("500.00")
    pay(order, receptionist, "500")
    state = selectors.plan_of(order)
    assert state.beyond == 0 and state.instalments[0].unpaid == D("6800.00")


def test_holds_do_not_pay_instalments(order, receptionist):
    plan(order, receptionist, (days(10), "6800"))
    services.take_hold(
        order=order, kind=LedgerEntry.Kind.LOCKER_DEPOSIT, method="cash", amount="100",
        staff=receptionist,
    )  # fmt: skip
    assert selectors.plan_of(order).instalments[0].unpaid == D("6800.00")


def test_an_instalment_past_its_date_and_unpaid_is_overdue(order, receptionist):
    plan(order, receptionist, (days(0), "3000"), (days(30), "3800"))
    Instalment.objects.filter(due_on=days(0)).update(due_on=days(-3))  # three days on
    state = selectors.plan_of(order)
    assert state.instalments[0].overdue and not state.instalments[1].overdue
    assert state.oldest_overdue == days(-3) and state.overdue == D("3000.00")
    pay(order, receptionist, "3000")
    assert selectors.plan_of(order).oldest_overdue is None


def test_changing_the_plan_needs_a_reason_and_keeps_the_old_one(order, receptionist):
    plan(order, receptionist, (days(10), "6800"))
    with pytest.raises(ValidationError) as refused:
        plan(order, receptionist, (days(10), "3000"), (days(20), "3800"))
    assert "Say why the plan changes." in str(refused.value)
    second = plan(order, receptionist, (days(10), "3000"), (days(20), "3800"), reason="asked")
    assert second.number == 2 and second.reason == "asked"
    assert Instalment.objects.filter(order=order, is_current=True).count() == 2
    assert Instalment.objects.filter(order=order, is_current=False).count() == 1
    assert [r.number for r in selectors.plan_revisions(order)] == [2, 1]


def test_a_changed_plan_sums_to_what_is_due_now(order, receptionist):
    plan(order, receptionist, (days(10), "3000"), (days(20), "3800"))
    pay(order, receptionist, "3000")
    with pytest.raises(ValidationError):
        plan(order, receptionist, (days(20), "6800"), reason="later")
    plan(order, receptionist, (days(25), "3800"), reason="later")
    assert selectors.plan_of(order).unpaid == D("3800.00")


def test_sending_the_same_plan_again_is_already_done(order, receptionist):
    plan(order, receptionist, (days(10), "6800"))
    with pytest.raises(services.AlreadyDone):
        plan(order, receptionist, (days(10), "6800"), reason="again")
    assert PlanRevision.objects.count() == 1


def test_a_paid_order_takes_no_plan(order, receptionist):
    pay(order, receptionist, "6800")
    with pytest.raises(ValidationError) as refused:
        plan(order, receptionist, (days(10), "1"))
    assert "Nothing is left to pay" in str(refused.value)


def test_pay_first_still_blocks_check_in(order, receptionist, branch):
    """The plan changes no guard: a branch that wants the package paid before the shoot
    still refuses check-in while instalments are outstanding, even ones not yet due."""
    from orders.models import Order, _paid_if_branch_requires

    branch.pay_in_full_before_shoot = True
    branch.save()
    plan(order, receptionist, (days(10), "6800"))
    assert not _paid_if_branch_requires(Order.objects.get(pk=order.pk))
    pay(order, receptionist, "6800")
    assert _paid_if_branch_requires(Order.objects.get(pk=order.pk))


@pytest.mark.django_db(transaction=True)
def test_two_desks_saving_at_once_make_two_revisions_in_turn(order, receptionist):
    if connection.vendor != "postgresql":
        pytest.skip("row locks")
    plan(order, receptionist, (days(10), "6800"))
    barrier = threading.Barrier(2)
    outcomes = []

    def save(day):
        barrier.wait()
        try:
            plan(order, receptionist, (days(day), "6800"), reason=f"day {day}")
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(d,)) for d in (11, 12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["saved", "saved"]
    assert sorted(PlanRevision.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert Instalment.objects.filter(order=order, is_current=True).count() == 1
