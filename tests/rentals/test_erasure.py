"""Erasing a couple's data (PIPL, studio.services.erase_customer) in rentals: their
reservations lose the ID document's number, the measurements, the wedding date and the
damage notes; the reservation itself, its dates, fee, deposit and deduction and the ledger
stay (money records are kept by law). A dress still out refuses the erasure, saying so."""

from datetime import timedelta
from decimal import Decimal

import pytest

from orders.models import Charge, LedgerEntry
from orders.services import transition_order
from rentals import receivers, services
from rentals.models import DressReservation
from studio.services import ErasureRefused, erase_customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MEASURED = {
    "bust": Decimal("86"),
    "waist": Decimal("66"),
    "hips": Decimal("90"),
    "height": Decimal("165"),
    "shoulder": Decimal("38"),
}


@pytest.fixture
def returned(reserve, receptionist, manager, order, in_a_week):
    """A dress measured for, picked up on an ID card, back with a stain deducted; the
    order then cancelled, so nothing holds the couple's data any more."""
    reservation = reserve(measurements=MEASURED, wedding_date=in_a_week)
    services.pick_up_dress(
        reservation=reservation, id_type="id_card", id_number="310101199001011234", by=receptionist
    )
    services.return_dress(
        reservation=reservation, by=receptionist, deductions=Decimal("200"),
        reason="Wine stain on the train, Ms Zhou will pay",
    )  # fmt: skip
    transition_order(order=order, name="cancel", by=manager.user)
    reservation.refresh_from_db()
    return reservation


def _kept(reservation):
    """What the law keeps of a reservation: its dates, status, money and who made it."""
    fields = [
        "pk", "order_id", "dress_id", "pickup_on", "return_on", "cleaning_until", "status",
        "rental_price", "deposit_amount", "deducted", "id_type", "picked_up_at", "returned_at",
        "created_by_id", "accessories",
    ]  # fmt: skip
    return DressReservation.objects.filter(pk=reservation.pk).values(*fields).get()


def _money(order):
    return (
        list(LedgerEntry.objects.filter(order=order).order_by("pk").values()),
        list(Charge.objects.filter(order=order).order_by("pk").values()),
    )


def test_the_reservation_keeps_its_money_and_dates_without_the_couples_data(
    returned, customer, manager
):
    kept, money = _kept(returned), _money(returned.order)
    assert returned.damage_notes and returned.id_number and returned.wedding_date
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    reservation = DressReservation.objects.get(pk=returned.pk)
    # The database still knows an ID document was shown at pickup; not which.
    assert reservation.id_number == receivers.ERASED_ID
    assert [getattr(reservation, f) for f in MEASURED] == [None] * len(MEASURED)
    assert reservation.wedding_date is None
    assert reservation.damage_notes == ""
    assert _kept(reservation) == kept
    assert _money(reservation.order) == money


def test_a_reservation_never_picked_up_has_no_document_to_erase(reserve, order, customer, manager):
    """Cancelled before pickup: no ID number was taken, none is made up."""
    reservation = reserve(measurements=MEASURED)
    services.cancel_reservation(reservation=reservation, by=manager)
    transition_order(order=order, name="cancel", by=manager.user)
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    reservation.refresh_from_db()
    assert reservation.id_number == "" and reservation.bust is None
    assert reservation.status == DressReservation.Status.CANCELLED


def test_another_couples_reservation_is_left_alone(
    returned, reserve, make_order, branch, customer, manager
):
    other = make_order(customer=CustomerFactory(branch=branch))
    theirs = reserve(
        order=other, measurements=MEASURED, pickup_on=returned.cleaning_until + timedelta(days=1)
    )
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    theirs.refresh_from_db()
    assert theirs.bust == Decimal("86") and theirs.customer_id == other.customer_id


def test_a_dress_still_out_refuses_the_erasure_and_says_so(picked_up, customer, manager, order):
    with pytest.raises(ErasureRefused) as refused:
        erase_customer(customer=customer, by=manager, typed_name=str(customer))
    assert "A dress is still out with them: take it back first." in refused.value.messages[0]
    picked_up.refresh_from_db()
    assert picked_up.id_number == "310101199001011234" and picked_up.bust == Decimal("86")
    customer.refresh_from_db()
    assert customer.erased_at is None
