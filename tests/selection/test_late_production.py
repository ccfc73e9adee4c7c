"""2 days before an item is due, anything not done raises one call task for the owner."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from followups.models import CallTask
from pickup import services as pickup_services
from selection import selectors, services
from selection.models import ProductionItem


def _due_in(order, days):
    ProductionItem.objects.filter(order=order).update(
        due_date=order.branch.today() + timedelta(days=days)
    )


def test_an_item_due_in_two_days_raises_one_call_for_the_owner(production_order):
    _due_in(production_order, 2)
    assert services.alert_late_production() == 1
    assert services.alert_late_production() == 1
    task = CallTask.objects.get(occasion=f"production-late:{production_order.pk}")
    assert task.assignee == production_order.owner
    assert task.kind == CallTask.Kind.DELAY_APOLOGY
    assert production_order.number in task.script_text


def test_nothing_is_raised_when_there_is_time(production_order):
    _due_in(production_order, 3)
    assert services.alert_late_production() == 0
    assert not CallTask.objects.filter(occasion__startswith="production-late").exists()


def test_nothing_is_raised_once_every_item_is_done(production_order):
    _due_in(production_order, 1)
    ProductionItem.objects.filter(order=production_order).update(stage="done")
    assert services.alert_late_production() == 0


def test_a_booked_pickup_sets_the_due_date_the_day_before(production_order, receptionist):
    branch = production_order.branch
    pickup_day = branch.today() + timedelta(days=3)
    pickup_services.book_pickup(
        order=production_order,
        starts_at=datetime.combine(pickup_day, time(10), branch.tzinfo),
        by=receptionist,
    )
    item = selectors.with_pickup(ProductionItem.objects.filter(order=production_order)).first()
    assert selectors.due(item, branch) == pickup_day - timedelta(days=1)
    assert services.alert_late_production(now=timezone.now()) == 1


def test_the_beat_task_calls_the_service(production_order):
    from selection.tasks import alert_late_production

    _due_in(production_order, 0)
    assert alert_late_production() == 1
