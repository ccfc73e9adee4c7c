"""Production: retouch → design → print → QC → done, or rework; ready when all passed."""

import pytest
from django.core.exceptions import ValidationError

from orders.models import State
from selection import services
from selection.models import ProductionItem

from .conftest import walk_to_qc


def test_one_tap_walks_an_item_to_qc(production_order, retoucher):
    item = production_order.production_items.first()
    stages = []
    for _ in range(3):
        stages.append(services.advance_item(item=item, by=retoucher).stage)
    assert stages == ["design", "print", "qc"]
    assert [s.to_stage for s in item.steps.all()] == stages


def test_a_double_tap_moves_the_item_once(production_order, retoucher):
    item = production_order.production_items.first()
    services.advance_item(item=item, by=retoucher, from_stage="retouch")
    with pytest.raises(ValidationError, match="Already moved"):
        services.advance_item(item=item, by=retoucher, from_stage="retouch")
    item.refresh_from_db()
    assert item.stage == "design"


def test_a_failed_qc_goes_to_rework_with_the_reason_and_back(production_order, retoucher):
    item = walk_to_qc(production_order.production_items.first(), retoucher)
    with pytest.raises(ValidationError):
        services.fail_qc(item=item, by=retoucher, reason="  ")
    services.fail_qc(item=item, by=retoucher, reason="Spot on the bride's veil")
    item.refresh_from_db()
    assert (item.stage, item.rework_reason) == ("rework", "Spot on the bride's veil")
    services.resume_item(item=item, to="retouch", by=retoucher)
    item.refresh_from_db()
    assert item.stage == "retouch" and item.qc_passed_at is None


def test_passing_qc_sets_the_time_and_the_last_one_marks_the_order_ready(
    production_order, retoucher
):
    items = list(production_order.production_items.all())
    assert len(items) == 2
    for item in items:
        walk_to_qc(item, retoucher)
    services.pass_qc(item=items[0], by=retoucher)
    production_order.refresh_from_db()
    assert production_order.state == State.IN_PRODUCTION
    services.pass_qc(item=items[1], by=retoucher)
    production_order.refresh_from_db()
    assert production_order.state == State.READY
    assert all(i.qc_passed_at for i in ProductionItem.objects.filter(order=production_order))


def test_marking_ready_again_changes_nothing(production_order, retoucher):
    for item in production_order.production_items.all():
        services.pass_qc(item=walk_to_qc(item, retoucher), by=retoucher)
    assert services.mark_ready_if_done(order=production_order, by=retoucher) is False


def test_items_do_not_move_before_production(selecting_order, confirm, retoucher):
    confirm(selecting_order)
    item = selecting_order.production_items.first()
    with pytest.raises(ValidationError, match="not in production"):
        services.advance_item(item=item, by=retoucher)
