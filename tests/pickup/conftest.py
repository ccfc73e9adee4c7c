from datetime import datetime, time, timedelta

import pytest

from orders.models import Order, State
from pickup import services
from studio import roles


@pytest.fixture
def ready_order(order):
    """The order, moved to "ready" the way test_transitions does: production is another
    stage's business."""
    Order.objects.filter(pk=order.pk).update(state=State.READY)
    order.refresh_from_db()
    return order


@pytest.fixture
def pickup_clerk(make_staff):
    return make_staff(roles.PICKUP_CLERK, display_name="Tang Li")


@pytest.fixture
def tomorrow_at_ten(branch):
    return datetime.combine(branch.today() + timedelta(days=1), time(10), branch.tzinfo)


@pytest.fixture
def pickup(ready_order, tomorrow_at_ten, receptionist):
    return services.book_pickup(order=ready_order, starts_at=tomorrow_at_ten, by=receptionist)


@pytest.fixture
def items(ready_order):
    """Two finished items of the ready order: an album and a framed enlargement."""
    from django.utils import timezone

    from selection.models import ProductionItem

    done = {"stage": ProductionItem.Stage.DONE, "qc_passed_at": timezone.now()}
    return [
        ProductionItem.objects.create(order=ready_order, name="Album", **done),
        ProductionItem.objects.create(order=ready_order, name="Frame 24in", **done),
    ]


@pytest.fixture
def paid(ready_order, receptionist):
    """The balance paid in full."""
    from orders import services as orders
    from orders.models import LedgerEntry

    ready_order.refresh_from_db()
    orders.take_payment(
        order=ready_order,
        kind=LedgerEntry.Kind.BALANCE,
        method="cash",
        amount=ready_order.balance_due,
        staff=receptionist,
    )
    return ready_order
