"""Erasing a couple's data (PIPL, studio.services.erase_customer) in shoots: the shoot
loses the dispatcher's note about the couple and the visits' notes; who worked when (the
times, the crew, the resources' bookings, the hand-offs) and the ledger (the locker
deposit) stay. Shoots refuses nothing of its own: a shoot still planned is an open order,
which refuses the erasure and names it."""

import pytest

from orders.models import LedgerEntry, Order, State
from shoots import services
from shoots.models import HandOff, ResourceBooking, Shoot, ShootVisit
from studio.services import ErasureRefused, erase_customer
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]

NOTE = "Bride is 5 months pregnant: no lying poses"
VISIT = "She cried at the veil, mother-in-law very demanding"


@pytest.fixture
def finished(in_the_building, crew, make_staff, order):
    """The shoot noted, visited, finished (the locker key back, its deposit refunded), and
    the order delivered later: nothing holds the couple's data any more."""
    Shoot.objects.filter(pk=in_the_building.pk).update(note=NOTE)
    services.record_visit(shoot=in_the_building, visitor=order.owner, note=VISIT)
    services.finish_shoot(shoot=in_the_building, by=crew.dispatcher, key_returned=True)
    # Selection and production are other stages' business.
    Order.objects.filter(pk=order.pk).update(state=State.DELIVERED)
    return in_the_building


def _kept(shoot):
    """Who worked when, with what, and the money."""
    fields = [
        "pk", "starts_at", "ends_at", "status", "photographer_id", "assistant_id",
        "makeup_artist_id", "dress_stylist_id", "room_id", "checked_in_at", "late_minutes",
        "locker_key", "finished_at", "confirmation",
    ]  # fmt: skip
    return (
        Shoot.objects.filter(pk=shoot.pk).values(*fields).get(),
        list(ResourceBooking.objects.filter(shoot=shoot).order_by("pk").values()),
        list(HandOff.objects.filter(shoot=shoot).order_by("pk").values()),
        list(ShootVisit.objects.filter(shoot=shoot).values("pk", "visitor", "at")),
        list(LedgerEntry.objects.filter(order=shoot.order).order_by("pk").values()),
    )


def test_the_shoot_keeps_who_worked_when_without_the_couples_data(finished, customer, manager):
    kept = _kept(finished)
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    assert Shoot.objects.get(pk=finished.pk).note == ""
    assert list(ShootVisit.objects.filter(shoot=finished).values_list("note", flat=True)) == [""]
    assert _kept(finished) == kept


def test_another_couples_shoot_is_left_alone(finished, book, make_order, branch, customer, manager):
    from datetime import timedelta

    theirs = book(
        make_order(customer=CustomerFactory(branch=branch)),
        starts_at=finished.starts_at + timedelta(days=3),
        short_notice_confirmed=True,
        note=NOTE,
    )
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    assert Shoot.objects.get(pk=theirs.pk).note == NOTE


def test_a_planned_shoot_refuses_the_erasure_naming_the_order(book, order, customer, manager):
    shoot = book(order, note=NOTE)
    with pytest.raises(ErasureRefused) as refused:
        erase_customer(customer=customer, by=manager, typed_name=str(customer))
    message = refused.value.messages[0]
    assert order.number in message and "still open" in message
    assert Shoot.objects.get(pk=shoot.pk).note == NOTE
    customer.refresh_from_db()
    assert customer.erased_at is None
