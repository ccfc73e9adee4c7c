"""A dress goes out only against an ID document, recorded by type and number."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from orders.models import LedgerEntry
from rentals import services
from rentals.models import DressReservation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("id_type", "id_number"), [("", "3101"), ("id_card", "  "), ("x", "1")])
def test_pickup_without_an_id_document_is_refused(reservation, receptionist, id_type, id_number):
    with pytest.raises(ValidationError):
        services.pick_up_dress(
            reservation=reservation, id_type=id_type, id_number=id_number, by=receptionist
        )
    reservation.refresh_from_db()
    assert reservation.status == DressReservation.Status.RESERVED
    assert not reservation.order.ledger.filter(kind=LedgerEntry.Kind.RENTAL_DEPOSIT).exists()


def test_the_database_refuses_a_picked_up_dress_without_an_id(reservation):
    with pytest.raises(IntegrityError, match="dress_res_id_held_at_pickup"), transaction.atomic():
        DressReservation.objects.filter(pk=reservation.pk).update(status="picked_up")
