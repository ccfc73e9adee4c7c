"""The money ledger: immutable entries, balances computed, holds never revenue."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders import services
from orders.models import Charge, ImmutableEntry, LedgerEntry, Order
from orders.selectors import with_money

Kind = LedgerEntry.Kind
NOT_PAID = LedgerEntry.NOT_PAID


def test_paid_and_balance_come_from_the_ledger(order, receptionist):
    assert order.paid == Decimal("2000")
    assert order.balance_due == Decimal("6800")
    services.take_payment(
        order=order, kind=Kind.BALANCE, method="cash", amount="800", staff=receptionist
    )
    assert order.balance_due == Decimal("6000")


def test_an_entry_cannot_be_changed_or_deleted(order):
    entry = order.ledger.get()
    entry.amount = Decimal("1")
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(ImmutableEntry):
        LedgerEntry.objects.all().delete()


def test_the_database_refuses_to_rewrite_money_history(order):
    entry = order.ledger.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE orders_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("2000")


def test_a_correction_is_a_reversing_entry(order, receptionist):
    entry = order.ledger.get()
    reversal = services.reverse_entry(entry=entry, staff=receptionist, note="Wrong order")
    assert reversal.amount == -entry.amount
    assert reversal.reverses == entry
    assert order.paid == 0
    with pytest.raises(ValidationError):
        services.reverse_entry(entry=entry, staff=receptionist, note="Again")


def test_charges_are_immutable_and_raise_what_is_owed(order, receptionist):
    charge = services.add_charge(
        order=order,
        kind=Charge.Kind.SELECTION_UPSELL,
        amount="1200",
        description="10 extra photos",
        staff=receptionist,
    )
    assert order.balance_due == Decimal("8000")
    with pytest.raises(ImmutableEntry):
        charge.delete()


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_it_refuses_payments_that_are_not_positive(order, receptionist, amount):
    with pytest.raises(ValidationError) as exc:
        services.take_payment(
            order=order, kind=Kind.BALANCE, method="cash", amount=amount, staff=receptionist
        )
    assert "more than zero" in str(exc.value)
    assert order.ledger.count() == 1


def test_it_refuses_payments_above_what_is_due(order, receptionist):
    with pytest.raises(ValidationError) as exc:
        services.take_payment(
            order=order, kind=Kind.BALANCE, method="cash", amount="6800.01", staff=receptionist
        )
    assert "still due" in str(exc.value)


def test_the_same_form_submitted_twice_records_one_payment(order, receptionist):
    kwargs = dict(
        order=order,
        kind=Kind.BALANCE,
        method="cash",
        amount="100",
        staff=receptionist,
        request_key="abc123",
    )
    first = services.take_payment(**kwargs)
    second = services.take_payment(**kwargs)
    assert first.pk == second.pk
    assert order.ledger.count() == 2


def test_receipt_numbers_follow_each_other_per_branch(order, receptionist):
    services.take_payment(
        order=order, kind=Kind.BALANCE, method="cash", amount="100", staff=receptionist
    )
    numbers = list(order.ledger.values_list("receipt_no", flat=True))
    assert numbers == ["SH1-R0000001", "SH1-R0000002"]


def test_a_kept_deposit_becomes_revenue_with_a_reason(order, receptionist):
    """Revenue, but not a payment of what the order costs: a lost key leaves the balance
    where it was, and the kept money cannot be refunded as if it had paid the order."""
    services.take_hold(
        order=order, kind=Kind.LOCKER_DEPOSIT, method="cash", amount=100, staff=receptionist
    )
    assert order.paid == Decimal("2000")
    due = order.balance_due
    with pytest.raises(ValidationError):
        services.return_hold(
            order=order, kind=Kind.LOCKER_DEPOSIT, method="cash", staff=receptionist, keep=100
        )
    services.return_hold(
        order=order,
        kind=Kind.LOCKER_DEPOSIT,
        method="cash",
        staff=receptionist,
        keep=100,
        keep_reason="Key lost",
    )
    assert order.hold_outstanding(Kind.LOCKER_DEPOSIT) == 0
    assert order.ledger.get(kind=Kind.FORFEITED_HOLD).amount == Decimal("100")
    assert order.paid == Decimal("2000")
    assert order.balance_due == due
    assert services.refundable(order) == {"desk": Decimal("2000"), "card": Decimal("0")}
    listed = with_money(Order.objects.filter(pk=order.pk)).get()  # the lists' figures
    assert (listed.paid_amount, listed.balance) == (Decimal("2000"), due)


operations = st.lists(
    st.tuples(
        st.sampled_from(["pay", "refund", "hold", "return_hold", "keep"]),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2),
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_ledger_invariants_hold_for_any_sequence(order, receptionist, ops):
    """paid = sum of the entries that pay the order (neither holds nor what was kept of
    them); refunds never exceed what was paid; what is due never goes below zero."""
    with transaction.atomic():
        sid = transaction.savepoint()
        for op, amount in ops:
            try:
                if op == "pay":
                    services.take_payment(
                        order=order,
                        kind=Kind.BALANCE,
                        method="card",
                        amount=amount,
                        staff=receptionist,
                    )
                elif op == "refund":
                    services.refund(
                        order=order, method="card", amount=amount, staff=receptionist, note="test"
                    )
                elif op == "hold":
                    services.take_hold(
                        order=order,
                        kind=Kind.RENTAL_DEPOSIT,
                        method="cash",
                        amount=amount,
                        staff=receptionist,
                    )
                else:  # back in part, or all of it back with `amount` of it kept
                    part = {"amount": amount} if op == "return_hold" else {"keep": amount}
                    services.return_hold(
                        order=order,
                        kind=Kind.RENTAL_DEPOSIT,
                        method="cash",
                        staff=receptionist,
                        keep_reason="A stain",
                        **part,
                    )
            except ValidationError:
                pass
            entries = list(order.ledger.all())
            paid = sum((e.amount for e in entries if e.kind not in NOT_PAID), Decimal(0))
            holds = sum((e.amount for e in entries if e.is_hold), Decimal(0))
            refunds = -sum((e.amount for e in entries if e.kind == Kind.REFUND), Decimal(0))
            taken_in = sum(
                (e.amount for e in entries if e.kind not in (*NOT_PAID, Kind.REFUND)), Decimal(0)
            )
            assert order.paid == paid
            assert refunds <= taken_in
            assert holds >= 0
            assert order.hold_outstanding(Kind.RENTAL_DEPOSIT) == holds
            assert order.balance_due >= 0
            assert order.paid <= order.charges_total
        transaction.savepoint_rollback(sid)
