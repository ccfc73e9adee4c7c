from celery import shared_task

from . import services


@shared_task
def plan_selection_calls():
    return services.plan_selection_calls()


@shared_task
def alert_late_production():
    return services.alert_late_production()
