"""The periodic schedule is declared once (studio/schedule.py) and written into beat's
database by `manage.py setup_periodic_tasks`, which may run at every deploy."""

import json
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from studio.celery import app
from studio.schedule import ON_DEMAND, SCHEDULE


def _setup(*args):
    out = StringIO()
    call_command("setup_periodic_tasks", *args, stdout=out)
    return out.getvalue()


def _our_tasks():
    app.loader.import_default_modules()  # the worker's autodiscovery of <app>/tasks.py
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and "site-packages" not in Path(config.path).parts
    }
    return {name for name in app.tasks if name.split(".")[0] in ours}


def test_every_task_of_ours_is_scheduled_or_named_on_demand():
    scheduled = {entry.task for entry in SCHEDULE}
    found = _our_tasks()
    assert found, "no task found: is autodiscovery broken?"
    assert found - ON_DEMAND == scheduled, (
        "Schedule each periodic task in studio/schedule.py, or name it in ON_DEMAND."
    )
    assert not ON_DEMAND - found, "ON_DEMAND names a task that does not exist."


def test_the_declared_names_are_unique():
    assert len({e.name for e in SCHEDULE}) == len(SCHEDULE)


def test_the_command_writes_the_declared_schedule(db):
    PeriodicTask.objects.all().delete()
    _setup()
    for entry in SCHEDULE:
        task = PeriodicTask.objects.get(name=entry.name)
        assert task.task == entry.task and task.enabled
        assert (task.interval.every, task.interval.period) == (entry.every, entry.period)
        assert json.loads(task.kwargs) == entry.kwargs
        assert task.description == entry.description


def test_running_it_again_changes_nothing(db):
    _setup()
    before = list(PeriodicTask.objects.order_by("pk").values())
    intervals = IntervalSchedule.objects.count()
    assert _setup() == ""
    assert list(PeriodicTask.objects.order_by("pk").values()) == before
    assert IntervalSchedule.objects.count() == intervals


def test_a_managers_timing_and_switch_are_kept_and_reset_puts_them_back(db):
    _setup()
    hourly = IntervalSchedule.objects.create(every=2, period="hours")
    PeriodicTask.objects.filter(name="Run the care rules").update(
        interval=hourly, enabled=False, description="old words"
    )
    assert "Updated: Run the care rules (description)" in _setup()
    task = PeriodicTask.objects.get(name="Run the care rules")
    assert task.interval == hourly and not task.enabled
    _setup("--reset")
    task.refresh_from_db()
    assert (task.interval.every, task.interval.period, task.enabled) == (10, "minutes", True)


def test_a_task_missing_from_the_database_is_created_again(db):
    _setup()
    PeriodicTask.objects.filter(name="Late production alerts").delete()
    assert "Scheduled: Late production alerts" in _setup()
    assert PeriodicTask.objects.filter(task="selection.tasks.alert_late_production").count() == 1
