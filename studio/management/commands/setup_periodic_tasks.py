import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from studio.schedule import SCHEDULE


class Command(BaseCommand):
    help = (
        "Write the periodic tasks declared in studio/schedule.py into beat's database "
        "schedule. Safe to run again: missing entries are created, each entry's task and "
        "description follow the code, a manager's timing and on/off switch are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Also put back the declared timing and switch every entry on.",
        )

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        for entry in SCHEDULE:
            # The admin lets managers add a second "every 60 seconds": take the first.
            interval = IntervalSchedule.objects.filter(
                every=entry.every, period=entry.period
            ).order_by("pk").first() or IntervalSchedule.objects.create(
                every=entry.every, period=entry.period
            )
            declared = {
                "task": entry.task,
                "kwargs": json.dumps(entry.kwargs),
                "description": entry.description,
            }
            task = PeriodicTask.objects.filter(name=entry.name).first()
            if task is None:
                PeriodicTask.objects.create(name=entry.name, interval=interval, **declared)
                self.stdout.write(f"Scheduled: {entry.name}")
                continue
            if reset:
                declared.update(
                    interval=interval, crontab=None, solar=None, clocked=None, enabled=True
                )
            changed = [k for k, v in declared.items() if getattr(task, k) != v]
            if changed:
                for key in changed:
                    setattr(task, key, declared[key])
                task.save()
                self.stdout.write(f"Updated: {entry.name} ({', '.join(changed)})")
