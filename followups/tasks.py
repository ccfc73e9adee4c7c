from celery import shared_task

from . import services


@shared_task
def dispatch_messages():
    """Every minute (beat): send the messages that are due. Safe to run twice at once."""
    return services.dispatch_due_messages()


@shared_task
def run_care_rules():
    """Every 10 minutes (beat): fire the care rules that are due. Safe to run twice."""
    return services.run_care_rules()
