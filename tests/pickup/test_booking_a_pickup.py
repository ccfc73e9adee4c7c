"""Booking the pickup on the pickup control sheet (取件控制表)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from orders.models import Order, State
from pickup import services
from pickup.models import PickupAppointment

pytestmark = pytest.mark.django_db


def test_it_books_a_ready_order_with_a_slip_number(pickup, ready_order, receptionist):
    assert pickup.status == PickupAppointment.Status.BOOKED
    assert pickup.branch == ready_order.branch and pickup.created_by == receptionist
    assert pickup.slip_number == "SH1-P000001"


def test_an_order_in_production_can_be_booked(order, tomorrow_at_ten, receptionist):
    Order.objects.filter(pk=order.pk).update(state=State.IN_PRODUCTION)
    found = services.book_pickup(order=order, starts_at=tomorrow_at_ten, by=receptionist)
    assert found.pk


@pytest.mark.parametrize("state", [State.BOOKED, State.SELECTING, State.DELIVERED])
def test_an_order_not_yet_in_production_is_refused(order, tomorrow_at_ten, receptionist, state):
    Order.objects.filter(pk=order.pk).update(state=state)
    with pytest.raises(ValidationError, match="in production"):
        services.book_pickup(order=order, starts_at=tomorrow_at_ten, by=receptionist)
    assert not PickupAppointment.objects.exists()


def test_a_time_in_the_past_is_refused(ready_order, receptionist):
    with pytest.raises(ValidationError) as caught:
        services.book_pickup(
            order=ready_order, starts_at=timezone.now() - timedelta(minutes=1), by=receptionist
        )
    assert "starts_at" in caught.value.error_dict


def test_moving_keeps_the_old_time_as_moved_with_a_new_slip(pickup, ready_order, receptionist):
    later = pickup.starts_at + timedelta(days=2)
    moved = services.book_pickup(order=ready_order, starts_at=later, by=receptionist)
    pickup.refresh_from_db()
    assert pickup.status == PickupAppointment.Status.MOVED
    assert moved.slip_number == "SH1-P000002"


def test_the_clerk_must_be_a_pickup_clerk_of_the_branch(
    ready_order, tomorrow_at_ten, receptionist, pickup_clerk, photographer
):
    booked = services.book_pickup(
        order=ready_order, starts_at=tomorrow_at_ten, by=receptionist, clerk=pickup_clerk
    )
    assert booked.clerk == pickup_clerk
    with pytest.raises(ValidationError) as caught:
        services.book_pickup(
            order=ready_order, starts_at=tomorrow_at_ten, by=receptionist, clerk=photographer
        )
    assert "clerk" in caught.value.error_dict
