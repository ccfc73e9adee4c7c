"""A dress is never reserved twice for overlapping dates, cleaning days included."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from rentals import services
from rentals.models import DressReservation

pytestmark = pytest.mark.django_db


def test_an_overlapping_reservation_is_refused_naming_the_clash(reserve, reservation, make_order):
    with pytest.raises(services.DressTaken) as caught:
        reserve(order=make_order(), pickup_on=reservation.return_on)
    message = " ".join(caught.value.messages)
    assert "WG-001" in message and reservation.order.number in message
    assert DressReservation.objects.count() == 1


def test_the_cleaning_days_after_a_return_are_still_taken(reserve, reservation, make_order):
    # Back on day R, cleaned on R+1 and R+2: out again from R+3.
    assert reservation.cleaning_until == reservation.return_on + timedelta(days=2)
    with pytest.raises(services.DressTaken):
        reserve(order=make_order(), pickup_on=reservation.return_on + timedelta(days=2))
    later = reserve(order=make_order(), pickup_on=reservation.return_on + timedelta(days=3))
    assert later.pk


def test_a_reservation_ending_before_another_starts_is_fine(reserve, reservation, make_order):
    earlier = reserve(
        order=make_order(),
        pickup_on=reservation.pickup_on - timedelta(days=6),
        return_on=reservation.pickup_on - timedelta(days=3),
    )
    assert earlier.cleaning_until < reservation.pickup_on


def test_a_cancelled_reservation_gives_its_dates_back(
    reserve, reservation, receptionist, make_order
):
    services.cancel_reservation(reservation=reservation, by=receptionist)
    again = reserve(order=make_order())
    assert again.pickup_on == reservation.pickup_on


def test_the_database_refuses_an_overlap_without_the_service(reservation):
    assert connection.vendor == "postgresql"
    copy = {
        f.attname: getattr(reservation, f.attname)
        for f in DressReservation._meta.concrete_fields
        if not f.primary_key
    }
    with pytest.raises(IntegrityError, match="no_double_dress_reservation"), transaction.atomic():
        DressReservation.objects.create(**copy)


def test_bad_dates_and_another_branchs_dress_are_refused(reserve, other_dress, branch):
    with pytest.raises(ValidationError) as caught:
        reserve(pickup_on=branch.today() - timedelta(days=1))
    assert "pickup_on" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        reserve(return_on=branch.today())
    assert "return_on" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        reserve(dress=other_dress)
    assert "dress" in caught.value.error_dict
