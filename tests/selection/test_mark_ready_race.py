"""Two items of one order pass QC at the same moment: the order is marked ready once."""

import pytest
from django_fsm_log.models import StateLog

from orders.models import Order, State
from selection import services
from selection.models import ProductionItem
from tests.races import run_together

from .conftest import walk_to_qc

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_last_items_passing_together_mark_the_order_ready_once(production_order, retoucher):
    items = [walk_to_qc(i, retoucher) for i in production_order.production_items.all()]

    def passing(item):
        return lambda: services.pass_qc(item=ProductionItem.objects.get(pk=item.pk), by=retoucher)

    results = run_together(*(passing(i) for i in items))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert Order.objects.get(pk=production_order.pk).state == State.READY
    assert StateLog.objects.for_(production_order).filter(transition="mark_ready").count() == 1
