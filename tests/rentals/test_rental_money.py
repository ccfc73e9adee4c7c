"""The rental fee is owed on the order; the deposit is a hold taken at pickup and returned
less deductions, all in the ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders.models import Charge, LedgerEntry
from rentals import services
from rentals.models import DressReservation

pytestmark = pytest.mark.django_db


def test_reserving_adds_the_rental_fee_to_what_the_order_owes(order, reservation):
    charge = order.charges.get()
    assert charge.kind == Charge.Kind.RENTAL and charge.amount == Decimal("1200.00")
    assert order.balance_due == Decimal("8800.00") + Decimal("1200.00") - Decimal("2000.00")
    assert not order.ledger.filter(kind=LedgerEntry.Kind.RENTAL_DEPOSIT).exists()


def test_wedding_day_lending_reserves_at_no_rental_price(reserve, order, package):
    package.wedding_day_dress = True
    package.save()
    reservation = reserve()
    assert reservation.rental_price == 0
    assert not order.charges.exists()


def test_pickup_takes_the_deposit_as_a_hold_not_as_payment(order, picked_up):
    paid_before = Decimal("2000.00")
    hold = order.ledger.get(kind=LedgerEntry.Kind.RENTAL_DEPOSIT)
    assert hold.amount == Decimal("3000.00")
    assert order.hold_outstanding(LedgerEntry.Kind.RENTAL_DEPOSIT) == Decimal("3000.00")
    assert order.paid == paid_before
    assert picked_up.status == DressReservation.Status.PICKED_UP
    assert picked_up.id_number == "310101199001011234"


def test_a_return_refunds_the_deposit_less_deductions_with_the_reason(
    order, picked_up, receptionist
):
    returned = services.return_dress(
        reservation=picked_up, by=receptionist, deductions="500", reason="Wine stain on the hem"
    )
    assert returned.status == DressReservation.Status.RETURNED
    assert returned.deducted == Decimal("500.00")
    assert order.hold_outstanding(LedgerEntry.Kind.RENTAL_DEPOSIT) == 0
    kept = order.ledger.get(kind=LedgerEntry.Kind.FORFEITED_HOLD)
    assert kept.amount == Decimal("500.00") and kept.note == "Wine stain on the hem"
    back = order.ledger.filter(kind=LedgerEntry.Kind.RENTAL_DEPOSIT, amount__lt=0).get()
    assert back.amount == Decimal("-3000.00")
    # The kept part is revenue, but it pays nothing of the order: its balance stays.
    assert order.paid == Decimal("2000.00")


def test_a_clean_return_refunds_the_whole_deposit(order, picked_up, receptionist):
    services.return_dress(reservation=picked_up, by=receptionist)
    assert order.hold_outstanding(LedgerEntry.Kind.RENTAL_DEPOSIT) == 0
    assert not order.ledger.filter(kind=LedgerEntry.Kind.FORFEITED_HOLD).exists()


def test_a_deduction_needs_a_reason_and_no_more_than_the_deposit(order, picked_up, receptionist):
    with pytest.raises(ValidationError) as caught:
        services.return_dress(reservation=picked_up, by=receptionist, deductions="100")
    assert "reason" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.return_dress(
            reservation=picked_up, by=receptionist, deductions="3000.01", reason="Torn"
        )
    assert "deductions" in caught.value.error_dict
    assert order.hold_outstanding(LedgerEntry.Kind.RENTAL_DEPOSIT) == Decimal("3000.00")


def test_the_preview_of_a_return_asks_the_same_reason(picked_up):
    """The desk's preview runs the return's own rule, so it cannot promise a refund the
    confirmation would refuse."""
    with pytest.raises(ValidationError) as caught:
        services.refund_on_return(reservation=picked_up, deductions="100", reason="  ")
    assert "reason" in caught.value.error_dict
    refund = services.refund_on_return(reservation=picked_up, deductions="100", reason="Torn")
    assert refund == Decimal("2900.00")


def test_two_dresses_on_one_order_return_their_own_deposits(
    reserve, order, picked_up, receptionist, make_order
):
    from datetime import timedelta

    from rentals.models import Dress

    suit = Dress.objects.create(
        branch=order.branch, code="MS-01", category="mens_suit", size="L", deposit="800"
    )
    second = reserve(dress=suit)
    services.pick_up_dress(
        reservation=second, id_type="passport", id_number="E1234", by=receptionist
    )
    services.return_dress(reservation=second, by=receptionist)
    assert order.hold_outstanding(LedgerEntry.Kind.RENTAL_DEPOSIT) == Decimal("3000.00")
    assert second.return_on - second.pickup_on == timedelta(days=3)


def test_cancelling_takes_the_rental_fee_off_the_order(order, reservation, receptionist):
    services.cancel_reservation(reservation=reservation, by=receptionist, reason="Changed plans")
    assert sum(c.amount for c in order.charges.all()) == 0
    with pytest.raises(ValidationError):
        services.cancel_reservation(reservation=reservation, by=receptionist)


def test_a_picked_up_dress_cannot_be_cancelled_or_picked_up_again(picked_up, receptionist):
    with pytest.raises(ValidationError):
        services.cancel_reservation(reservation=picked_up, by=receptionist)
    with pytest.raises(ValidationError):
        services.pick_up_dress(
            reservation=picked_up, id_type="id_card", id_number="1", by=receptionist
        )
