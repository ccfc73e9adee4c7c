"""The demo's dresses and reservations are made through the services, dated as they happened."""

import random

from orders.models import LedgerEntry
from rentals import demo
from rentals.models import Dress, DressReservation


def test_it_seeds_dresses_and_todays_pickup_and_return(branch, receptionist, make_order):
    orders = [make_order() for _ in range(4)]
    demo.seed(branch, [receptionist], random.Random(1))
    assert Dress.objects.filter(branch=branch).count() == 10
    today = branch.today()
    going = DressReservation.objects.get(pickup_on=today)
    assert going.status == DressReservation.Status.RESERVED
    back = DressReservation.objects.get(return_on=today)
    assert back.status == DressReservation.Status.PICKED_UP and back.id_number
    assert back.order.hold_outstanding(LedgerEntry.Kind.RENTAL_DEPOSIT) == back.deposit_amount
    assert DressReservation.objects.count() == 4
    assert {r.order for r in DressReservation.objects.all()} <= set(orders)


def test_without_orders_it_seeds_only_dresses(branch, receptionist):
    demo.seed(branch, [receptionist], random.Random(1))
    assert Dress.objects.count() == 10 and not DressReservation.objects.exists()
