from celery import shared_task

from . import services


@shared_task
def plan_confirmation_calls():
    return services.plan_confirmation_calls()
