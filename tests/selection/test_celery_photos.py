"""A real Celery worker on Redis makes the previews of an uploaded photo: the job sent twice
makes them once."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from orders.models import Order, State
from selection import photos
from selection.models import Photo
from selection.tasks import process_photo
from studio import roles
from studio.celery import app
from tests.factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

from .conftest import make_jpeg

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_worker_makes_the_previews_once_when_the_job_arrives_twice(photo_folder, monkeypatch):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "set REDIS_URL for this test"
    from orders import services as order_services

    branch = BranchFactory(code="celp", name="Celery photos branch")
    staff = StaffFactory(roles=[roles.PHOTOGRAPHER, roles.RECEPTIONIST], branches=[branch])
    order = order_services.create_order(
        customer=CustomerFactory(branch=branch, owner=staff),
        package=PackageFactory(branches=[branch]),
        owner=staff,
        created_by=staff,
        deposit=1000,
        deposit_method="cash",
    )
    Order.objects.filter(pk=order.pk).update(state=State.SHOT)
    order.refresh_from_db()
    queued = []
    monkeypatch.setattr(photos, "_queue_processing", queued.append)
    photo, _ = photos.add_photo(
        order=order,
        number=1,
        upload=SimpleUploadedFile("IMG_0001.JPG", make_jpeg(size=(800, 600))),
        by=staff,
    )
    assert queued == [photo.pk]  # committed: the job is queued after the row exists
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        first = process_photo.apply_async((photo.pk,), ignore_result=False)
        second = process_photo.apply_async((photo.pk,), ignore_result=False)
        made = [first.get(timeout=60), second.get(timeout=60)]
    assert sorted(made) == [False, True]
    photo = Photo.objects.get()
    assert photo.processed_at is not None
    assert len(list(photo_folder.rglob("thumbnail/*.jpg"))) == 1
