"""The demo books a pickup for every ready order, the first one today."""

import random

from orders.models import Order, State
from pickup import demo
from pickup.models import PickupAppointment


def test_it_books_ready_orders_with_one_today(branch, receptionist, pickup_clerk, make_order):
    for state in (State.READY, State.READY, State.IN_PRODUCTION, State.BOOKED):
        Order.objects.filter(pk=make_order().pk).update(state=state)
    booked = demo.seed(branch, [receptionist, pickup_clerk], random.Random(1))
    assert len(booked) == 3
    today = [p for p in booked if p.starts_at.astimezone(branch.tzinfo).date() == branch.today()]
    assert len(today) == 1
    assert {p.clerk for p in booked} == {pickup_clerk}
    assert PickupAppointment.objects.filter(order__state=State.BOOKED).count() == 0


def test_tomorrows_ready_pickup_is_checked_the_day_before(
    branch, receptionist, pickup_clerk, make_order
):
    from django.utils import timezone

    from pickup.models import ItemCheck
    from selection.models import ProductionItem

    for _ in range(2):
        order = make_order()
        Order.objects.filter(pk=order.pk).update(state=State.READY)
        ProductionItem.objects.create(
            order=order, name="Album", stage="done", qc_passed_at=timezone.now()
        )
    booked = demo.seed(branch, [receptionist, pickup_clerk], random.Random(1))
    tomorrow = [p for p in booked if p.starts_at.astimezone(branch.tzinfo).date() != branch.today()]
    assert ItemCheck.objects.filter(appointment__in=tomorrow, result="ok").count() == 1
    assert all(
        p.checked_at for p in PickupAppointment.objects.filter(pk__in=[t.pk for t in tomorrow])
    )
