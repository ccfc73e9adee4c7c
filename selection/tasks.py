from celery import shared_task

from . import photos, services


@shared_task
def plan_selection_calls():
    return services.plan_selection_calls()


@shared_task
def alert_late_production():
    return services.alert_late_production()


@shared_task
def process_photo(photo_id):
    return photos.process_photo(photo_id=photo_id)


@shared_task
def announce_ready_photos():
    return photos.announce_ready_photos()
