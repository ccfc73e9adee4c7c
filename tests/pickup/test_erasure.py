"""Erasing a couple's data (PIPL, studio.services.erase_customer) in pickup: the
appointments lose the desk's note, the lost-slip memo the ID document's number, the survey
its comments; the times, slip numbers, the memo's signing, the checks, the score and the
ledger stay. Pickup refuses nothing of its own: a pickup still open is an open order, which
refuses the erasure and names it."""

import pytest

from orders.models import LedgerEntry, State
from pickup import receivers, services
from pickup.models import ItemCheck, LostSlipMemo, PickupAppointment, Survey
from studio.services import ErasureRefused, erase_customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

NOTE = "Her mother collects it, call her on 13912345678"


@pytest.fixture
def booked(ready_order, tomorrow_at_ten, receptionist):
    return services.book_pickup(
        order=ready_order, starts_at=tomorrow_at_ten, by=receptionist, note=NOTE
    )


@pytest.fixture
def delivered(booked, items, paid, pickup_clerk):
    """The whole pickup: checked, the slip lost (an ID card shown, the memo signed), every
    item handed over, the survey taken, the order delivered."""
    services.check_items(order=paid, by=pickup_clerk, results={i.pk: ("ok", "") for i in items})
    services.verify_slip(
        appointment=booked, by=pickup_clerk, lost_slip_id_type="id_card",
        lost_slip_id_number="310101199001011234",
    )  # fmt: skip
    services.hand_over(appointment=booked, item_ids=[i.pk for i in items], by=pickup_clerk)
    services.record_survey(
        order=paid, score=4, by=pickup_clerk, would_refer=True,
        comments="Zhou Min loved the album; her sister is getting married in May",
    )  # fmt: skip
    services.complete_pickup(appointment=booked, by=pickup_clerk)
    paid.refresh_from_db()
    assert paid.state == State.DELIVERED
    return booked


def _kept(order):
    """What is kept: when and where the couple came, the slips, who checked what."""
    return (
        list(
            PickupAppointment.objects.filter(order=order)
            .order_by("pk")
            .values("pk", "starts_at", "status", "slip_number", "slip_verified_at", "clerk_id")
        ),
        list(LostSlipMemo.objects.filter(order=order).values("pk", "id_type", "signed_at", "by")),
        list(Survey.objects.filter(order=order).values("pk", "score", "would_refer", "by")),
        list(ItemCheck.objects.filter(appointment__order=order).values("pk", "result", "at")),
        list(LedgerEntry.objects.filter(order=order).order_by("pk").values()),
    )


def test_the_pickup_keeps_its_times_and_records_without_the_couples_data(
    delivered, customer, manager
):
    kept = _kept(delivered.order)
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    assert PickupAppointment.objects.get(pk=delivered.pk).note == ""
    memo = LostSlipMemo.objects.get(order=delivered.order)
    # The memo still says an ID document was shown and signed for; not which one.
    assert memo.id_number == receivers.ERASED_ID and memo.id_type == "id_card"
    assert Survey.objects.get(order=delivered.order).comments == ""
    assert _kept(delivered.order) == kept


def test_another_couples_pickup_is_left_alone(
    delivered, make_order, branch, tomorrow_at_ten, receptionist, customer, manager
):
    from orders.models import Order

    theirs = make_order(customer=CustomerFactory(branch=branch))
    Order.objects.filter(pk=theirs.pk).update(state=State.READY)
    theirs.refresh_from_db()
    their_pickup = services.book_pickup(
        order=theirs, starts_at=tomorrow_at_ten, by=receptionist, note=NOTE
    )
    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    assert PickupAppointment.objects.get(pk=their_pickup.pk).note == NOTE


def test_an_open_pickup_refuses_the_erasure_naming_the_order(booked, customer, manager):
    with pytest.raises(ErasureRefused) as refused:
        erase_customer(customer=customer, by=manager, typed_name=str(customer))
    message = refused.value.messages[0]
    assert booked.order.number in message and "still open" in message
    assert PickupAppointment.objects.get(pk=booked.pk).note == NOTE
    customer.refresh_from_db()
    assert customer.erased_at is None
