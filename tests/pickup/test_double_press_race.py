"""The desk's forms sent twice at once (a double click, two clerks): one sale, one payment."""

import pytest

from orders.models import Charge, LedgerEntry, Order
from pickup import services
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_extra_sold_twice_at_once_is_charged_and_paid_once(pickup, pickup_clerk, paid):
    frame = services.extras(branch=pickup.branch).get(product="frame")

    def sell():
        return services.sell_extra(
            appointment=pickup,
            price_item=frame,
            quantity=1,
            method="cash",
            by=pickup_clerk,
            request_key="one-press",
        )

    results = run_together(sell, sell)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1].pk == results[1][1].pk
    assert Charge.objects.filter(kind=Charge.Kind.PICKUP_UPSELL).count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PICKUP_UPSELL).count() == 1
    assert Order.objects.get(pk=pickup.order_id).balance_due == 0
