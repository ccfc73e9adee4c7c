"""A real Celery worker on Redis sends the instalment reminder: the task sent twice queues it
once."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from followups.models import CareRule, MessageTemplate, OutboxMessage
from followups.tasks import run_care_rules
from orders import services as order_services
from studio import roles
from studio.celery import app
from tests.factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_worker_reminds_an_instalment_once_when_the_task_arrives_twice():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "set REDIS_URL for this test"
    branch = BranchFactory(code="celi", name="Celery instalment branch")
    owner = StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch])
    customer = CustomerFactory(branch=branch, owner=owner)
    order = order_services.create_order(
        customer=customer,
        package=PackageFactory(branches=[branch]),
        owner=owner,
        created_by=owner,
        deposit=2000,
        deposit_method="cash",
    )
    order_services.set_payment_plan(
        order=order, instalments=[(branch.today() + timedelta(days=1), "6800")], by=owner
    )
    CareRule.objects.update(is_active=False)
    for language in ("en", "zh-hans"):  # a transactional test starts without the seeds
        MessageTemplate.objects.update_or_create(
            key="instalment_reminder",
            language=language,
            defaults={"channel": "sms", "body": "{couple}: {amount} due on {due_date}."},
        )
    CareRule.objects.create(
        key="celery_instalment",
        trigger="instalment_due",
        offset_minutes=-24 * 60,
        action="message",
        template_key="instalment_reminder",
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        first = run_care_rules.apply_async(ignore_result=False)
        second = run_care_rules.apply_async(ignore_result=False)
        counts = [first.get(timeout=30), second.get(timeout=30)]
    assert sorted(counts) == [0, 1]
    [message] = OutboxMessage.objects.filter(customer=customer, template_key="instalment_reminder")
    assert "¥6,800.00" in message.body
