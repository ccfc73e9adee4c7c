"""Two desks taking the same dress back at the same instant refund the deposit once: the
second is told it is already done (the reservation's row lock in return_dress)."""

import pytest

from orders.models import LedgerEntry
from rentals import services
from rentals.models import DressReservation
from studio.services import AlreadyDone
from tests.races import run_together


@pytest.mark.django_db(transaction=True)
def test_two_desks_taking_the_same_dress_back_at_once_refund_once(picked_up, receptionist):
    holds = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RENTAL_DEPOSIT)
    before = holds.count()

    def take_back():
        return services.return_dress(
            reservation=DressReservation.objects.get(pk=picked_up.pk), by=receptionist
        )

    results = run_together(take_back, take_back)
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert isinstance(next(v for k, v in results if k == "error"), AlreadyDone)
    assert holds.count() - before == 1
