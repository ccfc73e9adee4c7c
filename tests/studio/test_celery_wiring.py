"""Celery is wired end to end: beat's schedule in the database, a real worker on Redis."""

import json
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from studio.celery import app
from studio.models import WorkerHeartbeat

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_the_heartbeat_is_scheduled_and_editable_in_the_admin(admin_client):
    call_command("setup_periodic_tasks")  # as `make run` and a deploy do, after migrate
    task = PeriodicTask.objects.get(name="Worker heartbeat")
    assert task.task == "studio.tasks.heartbeat"
    assert task.interval.every == 60
    response = admin_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/")
    assert response.status_code == 200


def test_beat_sends_the_due_task_and_a_real_worker_on_redis_runs_it():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "set REDIS_URL for this test"
    every_minute = IntervalSchedule.objects.create(every=60, period="seconds")
    PeriodicTask.objects.create(
        name="Worker heartbeat",
        task="studio.tasks.heartbeat",
        interval=every_minute,
        kwargs=json.dumps({"name": "beat"}),
        last_run_at=timezone.now() - timedelta(minutes=5),
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        scheduler = DatabaseScheduler(app=app, lazy=False)
        scheduler.tick()  # one beat: finds the row due and sends it to Redis
        for _ in range(100):
            if WorkerHeartbeat.objects.filter(name="beat").exists():
                break
            time.sleep(0.1)
    beat = WorkerHeartbeat.objects.get(name="beat")
    assert beat.beats == 1
