"""Confirmation calls, no-shows and late starts."""

from datetime import timedelta

from django.utils import timezone

from followups.models import CallTask
from shoots import selectors, services, tasks
from shoots.models import Shoot
from studio import texts
from studio.models import Customer


def _english_speaking(order):
    Customer.objects.filter(pk=order.customer_id).update(language="en")


def test_confirmation_calls_come_7_days_and_1_day_before(book, order, in_ten_days, receptionist):
    _english_speaking(order)
    shoot = book(order)
    assert services.plan_confirmation_calls(now=in_ten_days - timedelta(days=8)) == 0
    services.plan_confirmation_calls(now=in_ten_days - timedelta(days=7))
    task = CallTask.objects.get()
    assert task.occasion == f"shoot-confirm-7d:{shoot.pk}"
    assert task.assignee == receptionist
    assert task.kind == CallTask.Kind.SHOOT_CONFIRM
    assert "haircut" in task.script_text and "wash hair" in task.script_text
    services.plan_confirmation_calls(now=in_ten_days - timedelta(hours=23))
    assert dict(CallTask.objects.values_list("occasion", "status")) == {
        f"shoot-confirm-7d:{shoot.pk}": CallTask.Status.CANCELLED,
        f"shoot-confirm-1d:{shoot.pk}": CallTask.Status.OPEN,
    }


def test_the_call_planned_in_the_background_reads_in_the_customers_language(
    book, order, in_ten_days
):
    """Beat plans the calls with no page language: a Chinese couple's script is Chinese,
    with a 24-hour arrival time."""
    from django.utils import translation

    shoot = book(order)
    with translation.override("en"):
        services.plan_confirmation_calls(now=in_ten_days - timedelta(hours=20))
    script = CallTask.objects.get(occasion=f"shoot-confirm-1d:{shoot.pk}").script_text
    arrive = timezone.localtime(services.arrival_time(shoot), shoot.branch.tzinfo)
    assert "男士：理发" in script
    assert f"请他们 {arrive:%H:%M} 到店" in script
    assert "haircut" not in script and "a.m." not in script


def test_confirmation_calls_are_made_once(book, order, in_ten_days):
    book(order)
    for _ in range(3):
        services.plan_confirmation_calls(now=in_ten_days - timedelta(hours=20))
    assert CallTask.objects.count() == 1


def test_the_arrival_is_20_minutes_early_when_a_balance_is_due(book, order, in_ten_days):
    _english_speaking(order)
    shoot = book(order)
    assert services.arrival_time(shoot) == in_ten_days - timedelta(minutes=20)
    script = texts.render(*services.confirmation_script(shoot), customer_language="en")
    assert "20 minutes early" in script


def test_the_task_calls_the_service(book, order, in_ten_days, settings):
    book(order, starts_at=timezone.now() + timedelta(hours=5), short_notice_confirmed=True)
    assert tasks.plan_confirmation_calls.apply().get() == 1
    assert CallTask.objects.get().occasion.startswith("shoot-confirm-1d:")


def test_the_periodic_task_is_scheduled(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")
    task = PeriodicTask.objects.get(task="shoots.tasks.plan_confirmation_calls")
    assert task.interval.every == 15


def test_a_no_show_frees_the_crew_and_calls_the_owner(book, order, crew, receptionist):
    shoot = book(
        order, starts_at=timezone.now() + timedelta(minutes=5), short_notice_confirmed=True
    )
    later = timezone.now() + timedelta(hours=1)
    services.mark_no_show(shoot=shoot, by=crew.dispatcher, now=later)
    shoot.refresh_from_db()
    assert shoot.status == Shoot.Status.NO_SHOW
    assert not shoot.bookings.exists()
    task = CallTask.objects.get(kind=CallTask.Kind.NO_SHOW)
    assert task.assignee == receptionist


def test_a_late_start_shifts_the_plan_and_shows_who_is_affected(book, make_order, in_ten_days):
    first = book(make_order())
    second = book(make_order(), starts_at=first.ends_at)
    services.record_late_start(shoot=first, minutes=30, by=first.created_by)
    first.refresh_from_db()
    assert selectors.affected_by_late_start(first) == [second]
    rows = selectors.timeline(first)
    assert rows[0]["starts"] == in_ten_days + timedelta(minutes=30)


def test_the_outcome_of_the_call_is_recorded(book, order, crew):
    shoot = book(order)
    services.record_confirmation(shoot=shoot, outcome="confirmed", by=crew.dispatcher)
    shoot.refresh_from_db()
    assert shoot.confirmation == Shoot.Confirmation.CONFIRMED
