"""The demo gives orders at or past the selection their picks, products and production."""

import random

from orders.models import Order, State
from selection import demo, services
from selection.models import Pick, ProductionItem, SelectionSession
from studio import roles


def test_it_fills_sessions_and_spreads_production(
    branch, make_order, consultant, make_staff, receptionist
):
    retoucher = make_staff(roles.RETOUCHER)
    states = [State.SELECTING, State.SELECTED, State.IN_PRODUCTION, State.IN_PRODUCTION]
    orders = []
    for state in states:
        order = make_order()
        Order.objects.filter(pk=order.pk).update(state=state)
        SelectionSession.objects.create(order=order, photo_count=400)
        if state == State.IN_PRODUCTION:
            for name in ("Album", "Enlargement", "Crystal", "Frame"):
                ProductionItem.objects.create(order=order, name=name)
        orders.append(order)
    sessions = demo.seed(branch, [consultant, retoucher, receptionist], random.Random(3))
    assert len(sessions) == 4
    for order in orders:
        assert Pick.objects.filter(session__order=order, pass_kind="confirmed").exists()
    assert orders[0].selection.product_lines.count() == 2
    assert orders[1].production_items.filter(product="album").exists()
    stages = set(
        ProductionItem.objects.filter(order__state=State.IN_PRODUCTION).values_list(
            "stage", flat=True
        )
    )
    assert {"retouch", "design", "print"} <= stages
    assert "rework" in stages
    assert not ProductionItem.objects.filter(due_date__isnull=True).exists()
    assert services.alert_late_production() == 1
