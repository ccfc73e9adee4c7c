"""1 day before the selection, a confirmation call on the owner's list, made once."""

from datetime import timedelta

from followups.models import CallTask
from selection import services, tasks


def test_a_confirmation_call_comes_1_day_before(
    book_selection, shot_order, receptionist, the_day_after_tomorrow
):
    shot_order.customer.language = "en"
    shot_order.customer.save()
    session = book_selection(shot_order)
    assert services.plan_selection_calls(now=the_day_after_tomorrow - timedelta(hours=25)) == 0
    assert not CallTask.objects.exists()
    services.plan_selection_calls(now=the_day_after_tomorrow - timedelta(hours=23))
    task = CallTask.objects.get()
    assert task.occasion == f"selection-confirm-1d:{session.pk}"
    assert task.kind == CallTask.Kind.SELECTION_CONFIRM
    assert task.assignee == receptionist
    assert task.order == shot_order
    assert "Feng Xue" in task.script_text and "120 minutes" in task.script_text


def test_the_script_is_in_the_customers_language(
    book_selection, shot_order, the_day_after_tomorrow
):
    shot_order.customer.language = "zh-hans"
    shot_order.customer.save()
    book_selection(shot_order)
    services.plan_selection_calls(now=the_day_after_tomorrow - timedelta(hours=23))
    assert "约需 120 分钟" in CallTask.objects.get().script_text


def test_running_it_twice_makes_one_call(book_selection, shot_order, the_day_after_tomorrow):
    book_selection(shot_order)
    now = the_day_after_tomorrow - timedelta(hours=20)
    services.plan_selection_calls(now=now)
    services.plan_selection_calls(now=now + timedelta(minutes=15))
    assert CallTask.objects.count() == 1


def test_the_task_calls_the_service(book_selection, shot_order, the_day_after_tomorrow):
    from django.utils import timezone

    book_selection(shot_order, starts_at=timezone.now() + timedelta(hours=5))
    assert tasks.plan_selection_calls.apply().get() == 1
    assert CallTask.objects.get().kind == CallTask.Kind.SELECTION_CONFIRM


def test_the_periodic_task_is_scheduled(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")
    task = PeriodicTask.objects.get(task="selection.tasks.plan_selection_calls")
    assert task.interval.every == 15


def test_moving_the_appointment_moves_the_planned_call(
    book_selection, shot_order, the_day_after_tomorrow
):
    shot_order.customer.language = "en"
    shot_order.customer.save()
    session = book_selection(shot_order)
    services.plan_selection_calls(now=the_day_after_tomorrow - timedelta(hours=23))
    task = CallTask.objects.get()
    old_script = task.script_text
    book_selection(shot_order, starts_at=session.appointment_at + timedelta(days=2))
    task.refresh_from_db()
    session.refresh_from_db()
    assert task.script_text != old_script
    assert task.due_at == session.appointment_at - timedelta(days=1)
    assert CallTask.objects.count() == 1
