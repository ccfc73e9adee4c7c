from celery import shared_task

from . import services


@shared_task
def heartbeat(name="beat"):
    return services.record_heartbeat(name=name)
