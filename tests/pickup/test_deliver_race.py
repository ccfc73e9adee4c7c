"""Two clerks press "complete" at once: the order is delivered once."""

import pytest
from django_fsm_log.models import StateLog

from orders.models import Order, State
from orders.services import AlreadyDone
from pickup import services
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_clerks_completing_at_once_deliver_once(pickup, items, pickup_clerk, paid):
    services.verify_slip(appointment=pickup, slip_number=pickup.slip_number, by=pickup_clerk)
    services.hand_over(appointment=pickup, item_ids=[i.pk for i in items], by=pickup_clerk)

    def complete():
        return services.complete_pickup(appointment=pickup, by=pickup_clerk)

    results = run_together(complete, complete)
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, AlreadyDone)
    assert Order.objects.get(pk=pickup.order_id).state == State.DELIVERED
    assert StateLog.objects.for_(pickup.order).filter(transition="deliver").count() == 1
