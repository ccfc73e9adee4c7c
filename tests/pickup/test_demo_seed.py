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
