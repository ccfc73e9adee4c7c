"""A real Celery worker on Redis runs the care rules: the task sent twice fires them once."""

from datetime import timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from followups.models import CareRule, MessageTemplate, OutboxMessage
from followups.tasks import run_care_rules
from orders import services as order_services
from studio import roles
from studio.celery import app
from tests.factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_worker_runs_the_care_rules_once_when_the_task_arrives_twice():
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "set REDIS_URL for this test"
    branch = BranchFactory(code="celc", name="Celery care branch")
    owner = StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch])
    customer = CustomerFactory(branch=branch, owner=owner)
    CareRule.objects.update(is_active=False)
    MessageTemplate.objects.update_or_create(
        key="celery_thanks",
        language="zh-hans",
        defaults={"channel": "sms", "body": "{couple}，感谢您的定金！"},
    )
    CareRule.objects.create(
        key="celery_thanks", trigger="deposit_paid", action="message", template_key="celery_thanks"
    )
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        order_services.create_order(
            customer=customer,
            package=PackageFactory(branches=[branch]),
            owner=owner,
            created_by=owner,
            deposit=1000,
            deposit_method="cash",
        )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        first = run_care_rules.apply_async(ignore_result=False)
        second = run_care_rules.apply_async(ignore_result=False)
        counts = [first.get(timeout=30), second.get(timeout=30)]
    assert sorted(counts) == [0, 1]
    assert (
        OutboxMessage.objects.filter(customer=customer, template_key="celery_thanks").count() == 1
    )
