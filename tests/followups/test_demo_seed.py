"""The demo complaints: logged through the service, one resolved."""

import random

from followups import demo
from orders.models import Order, State


def test_the_demo_logs_complaints_on_ready_orders(branch, receptionist, make_order):
    order = make_order()
    Order.objects.filter(pk=order.pk).update(state=State.READY)
    complaints = demo.seed(branch, [receptionist], random.Random(1))
    assert [c.order for c in complaints] == [order]
    assert complaints[0].is_resolved and complaints[0].owner == receptionist
