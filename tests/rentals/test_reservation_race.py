"""Two desks reserving the same dress for the same days at once make one reservation."""

import pytest

from rentals import services
from rentals.models import DressReservation
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reservations_at_once_make_one(reserve, make_order, in_a_week):
    orders = [make_order(), make_order()]
    results = run_together(
        lambda: reserve(order=orders[0]),
        lambda: reserve(order=orders[1]),
    )
    kinds = sorted(kind for kind, _value in results)
    assert kinds == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.DressTaken)
    assert "WG-001" in " ".join(error.messages)
    assert DressReservation.objects.count() == 1
