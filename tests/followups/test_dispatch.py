"""The dispatcher sends what is due, once, through the pluggable backend."""

import logging
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from followups import services
from followups.models import OutboxMessage
from followups.services import dispatch_due_messages, queue_message
from tests.factories import BranchFactory, CustomerFactory
from tests.races import run_together

from . import backends

NOON = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_default_timezone())


def _queue(customer, occasion="o:1", at=NOON):
    return queue_message(
        customer=customer,
        key="visit_not_booked",
        occasion=occasion,
        context={"taker": "Li Na"},
        send_after=at,
    )


def test_it_sends_what_is_due(customer, outbox):
    message = _queue(customer)
    assert dispatch_due_messages(now=NOON) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at == NOON and message.attempts == 1
    assert outbox == [(message.pk, customer.bride_phone, message.body)]


def test_dispatching_twice_sends_once(customer, outbox):
    _queue(customer)
    dispatch_due_messages(now=NOON)
    assert dispatch_due_messages(now=NOON + timedelta(minutes=1)) == 0
    assert len(outbox) == 1


def test_it_waits_until_send_after(customer, outbox):
    _queue(customer, at=NOON + timedelta(minutes=30))
    assert dispatch_due_messages(now=NOON + timedelta(minutes=29)) == 0
    assert outbox == []
    assert dispatch_due_messages(now=NOON + timedelta(minutes=30)) == 1


def test_skipped_messages_are_never_sent(customer, outbox):
    from followups.models import MessageTemplate

    MessageTemplate.objects.update(is_active=False)
    _queue(customer)
    assert dispatch_due_messages(now=NOON) == 0
    assert outbox == []


def test_a_gateway_error_is_retried_later_then_given_up(customer, settings):
    settings.STUDIO_MESSAGE_BACKEND = "tests.followups.backends.BrokenBackend"
    message = _queue(customer)
    assert dispatch_due_messages(now=NOON) == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1 and message.error == "gateway down"
    assert message.send_after == NOON + services.RETRY_AFTER
    now = NOON
    for _ in range(services.MAX_ATTEMPTS):
        now += timedelta(hours=2)
        dispatch_due_messages(now=now)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == services.MAX_ATTEMPTS


def test_the_default_backend_writes_to_the_log(customer, caplog):
    message = _queue(customer)
    with caplog.at_level(logging.INFO, logger="followups.messages"):
        assert dispatch_due_messages(now=NOON) == 1
    assert message.body in caplog.text and customer.bride_phone in caplog.text


def test_the_beat_runs_the_dispatcher_every_minute(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")
    task = PeriodicTask.objects.get(name="Send due messages")
    assert task.task == "followups.tasks.dispatch_messages"
    assert task.interval.every == 60 and task.interval.period == "seconds"
    assert task.enabled


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_every_message_once(settings):
    assert connection.vendor == "postgresql"
    settings.STUDIO_MESSAGE_BACKEND = "tests.followups.backends.SlowBackend"
    backends.outbox.clear()
    branch = BranchFactory(code="two", name="Two workers")
    from importlib import import_module

    from django.apps import apps

    # Transactional tests start empty: replay the templates' data migration (never migrate
    # backwards here: that would unapply later schema for the tests that follow).
    import_module(
        "followups.migrations.0003_visit_not_booked_template_and_dispatch_schedule"
    ).forward(apps, None)
    for n in range(6):
        _queue(CustomerFactory(branch=branch), occasion=f"o:{n}")
    results = run_together(*[lambda: dispatch_due_messages(now=NOON)] * 2)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert sum(count for _, count in results) == 6
    assert len(backends.outbox) == 6
    assert len({pk for pk, _to, _body in backends.outbox}) == 6
    assert OutboxMessage.objects.filter(status="sent").count() == 6
    backends.outbox.clear()
