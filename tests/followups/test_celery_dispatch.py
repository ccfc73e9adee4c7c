"""A real Celery worker on Redis runs the dispatcher: a task sent twice sends the message once."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from followups.models import MessageTemplate, OutboxMessage
from followups.services import queue_message
from followups.tasks import dispatch_messages
from studio.celery import app
from tests.factories import BranchFactory, CustomerFactory

from . import backends

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_worker_sends_a_queued_message_once_when_the_task_arrives_twice(settings_override):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "set REDIS_URL for this test"
    branch = BranchFactory(
        code="cel", name="Celery branch", phone="021-1234 5678", timezone=_daytime_zone()
    )
    customer = CustomerFactory(branch=branch, language="en")
    MessageTemplate.objects.create(
        key="thanks", language="en", channel="sms", body="Thank you, {couple}: {store_phone}"
    )
    message = queue_message(
        customer=customer,
        key="thanks",
        occasion="celery:1",
        context={},
        send_after=timezone.now() - timezone.timedelta(minutes=1),
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        first = dispatch_messages.apply_async(ignore_result=False)
        second = dispatch_messages.apply_async(ignore_result=False)
        counts = [first.get(timeout=30), second.get(timeout=30)]
    assert sorted(counts) == [0, 1]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1
    assert backends.outbox == [(message.pk, customer.bride_phone, message.body)]


def _daytime_zone():
    """A time zone where it is day now, so quiet hours do not hold the SMS back."""
    import zoneinfo

    for name in ("Asia/Shanghai", "Europe/London", "America/New_York", "Pacific/Auckland"):
        if 10 <= timezone.localtime(timezone=zoneinfo.ZoneInfo(name)).hour < 20:
            return name
    raise AssertionError("four zones 5+ hours apart: one of them is in the day")


@pytest.fixture
def settings_override(settings):
    settings.STUDIO_MESSAGE_BACKEND = "tests.followups.backends.MemoryBackend"
    backends.outbox.clear()
    yield
    backends.outbox.clear()
