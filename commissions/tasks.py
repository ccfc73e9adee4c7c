from celery import shared_task

from . import services


@shared_task
def credit_new_entries():
    return services.credit_new_entries()
