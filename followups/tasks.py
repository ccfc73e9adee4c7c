from celery import shared_task

from . import services


@shared_task
def dispatch_messages():
    """Every minute (beat): send the messages that are due. Safe to run twice at once."""
    return services.dispatch_due_messages()
