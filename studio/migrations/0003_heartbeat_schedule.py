"""The heartbeat runs every minute; managers can re-time or switch it off in the admin."""

import json

from django.db import migrations


def add_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.get_or_create(
        name="Worker heartbeat",
        defaults={
            "task": "studio.tasks.heartbeat",
            "interval": every_minute,
            "kwargs": json.dumps({"name": "beat"}),
            "description": "Proves the worker and beat are alive; shown to managers.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name="Worker heartbeat"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
