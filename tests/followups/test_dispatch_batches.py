"""One run of the dispatcher sends the whole morning queue (issue 11: at 200 a run, a queue of
2,000 waited ten minutes), batch after batch, until nothing is due or its time is spent,
with a few queries per message."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from followups import services
from followups.models import OutboxMessage
from followups.services import dispatch_due_messages, queue_message
from tests.factories import CustomerFactory

from . import backends

NOON = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "CLAIM_BATCH", 3)


def _queue(branch, n):
    return [
        queue_message(
            customer=CustomerFactory(branch=branch),
            key="visit_not_booked",
            occasion=f"o:{i}",
            context={"taker": "Li Na"},
            send_after=NOON,
        )
        for i in range(n)
    ]


def test_one_run_sends_every_message_due_batch_after_batch(branch, outbox, small_batches):
    queued = _queue(branch, 10)
    assert dispatch_due_messages(now=NOON) == 10
    assert sorted(pk for pk, _to, _body in outbox) == sorted(m.pk for m in queued)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


class Clock:
    """The dispatcher's clock, moved on by a second for each message sent."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self):
        return self.seconds


class TickingBackend(backends.MemoryBackend):
    clock = Clock()  # the test's own

    def send(self, message):
        self.clock.seconds += 1
        return super().send(message)


def test_a_run_stops_claiming_when_its_time_is_spent(branch, outbox, settings, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(TickingBackend, "clock", clock)
    monkeypatch.setattr(services, "monotonic", clock)
    monkeypatch.setattr(services, "CLAIM_BATCH", 1)
    settings.STUDIO_MESSAGE_BACKEND = f"{__name__}.TickingBackend"
    settings.STUDIO_MESSAGE_DISPATCH_SECONDS = 2.5
    _queue(branch, 5)
    assert dispatch_due_messages(now=NOON) == 3
    assert OutboxMessage.objects.filter(status="queued").count() == 2
    assert dispatch_due_messages(now=NOON + timedelta(minutes=1)) == 2  # the next run


# The reconciler's look; per batch of 10 its claim (savepoint, read, one update, release)
# and per message the mark that its call starts and the record of its answer; one last,
# empty claim.
def test_a_run_asks_a_few_queries_per_message(branch, outbox, django_assert_max_num_queries):
    _queue(branch, 20)
    with django_assert_max_num_queries(1 + 2 * 4 + 20 * 2 + 3):
        assert dispatch_due_messages(now=NOON) == 20
