"""Sessions whose couple was told before batches were counted (selection 0018) are taken
as told about the photos uploaded by then: only a batch added after their message is
announced, not the whole session again. Transactional (the migrations run DDL); it leaves
the database migrated."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from followups.models import OutboxMessage
from selection import photos
from selection.models import Photo, SelectionSession

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("selection", "0017_voucher_uses_and_card_refunds")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.fixture
def back_at_the_end():
    yield
    _migrate()


def test_an_announced_session_is_told_about_the_photos_uploaded_by_then(
    back_at_the_end, shot_order, make_shot_order, upload
):
    told_at = timezone.now() - timedelta(hours=2)
    for number in (1, 2, 3):
        upload(shot_order, number)
    session = shot_order.selection
    Photo.objects.filter(session=session, number__in=[1, 2]).update(
        uploaded_at=told_at - timedelta(hours=1)
    )
    Photo.objects.filter(session=session, number=3).update(uploaded_at=told_at + timedelta(hours=1))
    SelectionSession.objects.filter(pk=session.pk).update(photos_ready_at=told_at)
    never_told = make_shot_order()
    upload(never_told, 1)
    _migrate(BEFORE)
    _migrate()
    session.refresh_from_db()
    assert session.photos_announced_through == session.photos.get(number=2).pk
    assert SelectionSession.objects.get(order=never_told).photos_announced_through is None
    # Photo 3 came after the message: a batch of its own, announced with the untold session.
    later = timezone.now() + timedelta(minutes=photos.QUIET_MINUTES + 1)
    assert photos.announce_ready_photos(now=later) == 2
    assert OutboxMessage.objects.filter(template_key="couple_photos_ready").count() == 2
