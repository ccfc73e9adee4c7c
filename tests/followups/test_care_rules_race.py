"""Two workers run the care rules at the same moment: every rule fires once per occasion."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from followups.models import CallTask, CareRule, MessageTemplate, OutboxMessage
from followups.services import run_care_rules
from orders import services as order_services
from studio import roles
from tests.factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_at_once_fire_each_rule_once_per_customer():
    branch = BranchFactory(code="race", name="Race branch")
    owner = StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch])
    package = PackageFactory(branches=[branch])
    now = timezone.now()
    CareRule.objects.update(is_active=False)
    MessageTemplate.objects.update_or_create(
        key="race_thanks", language="zh-hans", defaults={"channel": "sms", "body": "谢谢 {couple}"}
    )
    CareRule.objects.create(
        key="race_sms", trigger="deposit_paid", action="message", template_key="race_thanks"
    )
    CareRule.objects.create(
        key="race_call", trigger="deposit_paid", action="call", call_kind=CallTask.Kind.OTHER
    )
    with time_machine.travel(now - timedelta(minutes=5), tick=False):
        orders = [
            order_services.create_order(
                customer=CustomerFactory(branch=branch, owner=owner),
                package=package,
                owner=owner,
                created_by=owner,
                deposit=1000,
                deposit_method="cash",
            )
            for _ in range(3)
        ]
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait(timeout=10)
            results.append(run_care_rules(now=now))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(results) == 6  # 3 messages and 3 calls, between the two workers
    for order in orders:
        assert OutboxMessage.objects.filter(customer=order.customer).count() == 1
        assert CallTask.objects.filter(customer=order.customer).count() == 1
