"""A real Celery worker is killed (SIGKILL) right after the gateway took a message and
before the worker could record it, ten times over thirty messages, and restarted each
time: the gateway receives every message exactly once, and none is lost.

The worker is its own process (`celery -A studio worker`) on the test database and Redis,
sending through the Alibaba Cloud or the Tencent Cloud SMS backend to the local fake of
that gateway, which holds its answer at the moment it has taken the message, so the kill
lands in that window.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from followups.models import MessageTemplate, OutboxMessage, SmsSignature
from followups.services import queue_message
from followups.tasks import dispatch_messages
from tests.factories import BranchFactory, CustomerFactory

from .fake_alibaba import FakeAlibabaSms
from .fake_tencent import FakeTencentSms
from .test_celery_dispatch import _daytime_zone

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

MESSAGES = 30
KILLS = 10
CODE = "SMS_200001"
# Seconds: how long a message may stay `sending` in the worker, and its HTTP timeout.
SENDING_TIMEOUT = 2
HTTP_TIMEOUT = 1


def _alibaba():
    fake = FakeAlibabaSms(signatures={"幸福影楼"}, templates={CODE: {"couple", "store"}})
    env = {
        "STUDIO_SMS_BACKEND": "followups.alibaba.AlibabaSmsBackend",
        "ALIBABA_SMS_ENDPOINT": fake.url,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": fake.key_id,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": fake.secret,
        "ALIBABA_SMS_TIMEOUT": str(HTTP_TIMEOUT),
    }
    return fake, env


def _tencent():
    fake = FakeTencentSms(signatures={"幸福影楼"}, templates={CODE: 2})
    env = {
        "STUDIO_SMS_BACKEND": "followups.tencent.TencentSmsBackend",
        "TENCENT_SMS_ENDPOINT": fake.url,
        "TENCENTCLOUD_SECRET_ID": fake.secret_id,
        "TENCENTCLOUD_SECRET_KEY": fake.secret_key,
        "TENCENT_SMS_SDK_APP_ID": fake.app_id,
        "TENCENT_SMS_TIMEOUT": str(HTTP_TIMEOUT),
    }
    return fake, env


@pytest.mark.parametrize("gateway", [_alibaba, _tencent], ids=["alibaba", "tencent"])
def test_a_worker_killed_mid_send_sends_every_message_exactly_once(tmp_path, gateway):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "set REDIS_URL for this test"
    branch = BranchFactory(code="kill", name="Kill branch", timezone=_daytime_zone())
    SmsSignature.objects.create(branch=branch, sign_name="幸福影楼")
    MessageTemplate.objects.create(
        key="thanks",
        language="en",
        channel="sms",
        body="Thank you, {couple}: {store}",
        gateway_template_code=CODE,
    )
    queued = [
        queue_message(
            customer=CustomerFactory(branch=branch, language="en"),
            key="thanks",
            occasion=f"kill:{n}",
            context={},
            send_after=timezone.now() - timedelta(minutes=1),
        ).pk
        for n in range(MESSAGES)
    ]
    fake, env = gateway()
    queue = f"kill-test-{uuid.uuid4().hex[:8]}"
    kills = 0
    started = time.monotonic()
    with fake:
        worker = _start_worker(env, queue, tmp_path)
        try:
            while _sent() < MESSAGES:
                assert time.monotonic() - started < 55, (kills, _statuses())
                if kills < KILLS and not fake.hold_next:
                    fake.accepted.clear()
                    fake.release.clear()
                    fake.hold_next = True
                result = dispatch_messages.apply_async(queue=queue, ignore_result=False)
                while not (fake.accepted.is_set() or result.ready()):
                    assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
                    time.sleep(0.02)
                if fake.accepted.is_set() and kills < KILLS:
                    # The gateway has the message; the worker has not heard back: kill it.
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait(10)
                    fake.release.set()
                    fake.accepted.clear()
                    kills += 1
                    worker = _start_worker(env, queue, tmp_path)
                elif _sent() < MESSAGES:
                    time.sleep(0.3)  # let the dead workers' claims grow old
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
    assert kills == KILLS
    times = {pk: fake.received(pk) for pk in queued}
    assert times == dict.fromkeys(queued, 1), "each message reaches the gateway exactly once"
    assert set(fake.sent) == {str(pk) for pk in queued}
    assert _statuses() == {"sent": MESSAGES}


def _sent():
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count()


def _statuses():
    rows = OutboxMessage.objects.values_list("status", flat=True)
    return {s: list(rows).count(s) for s in set(rows)}


def _start_worker(gateway_env, queue, log_dir):
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **gateway_env,
        "STUDIO_MESSAGE_SENDING_TIMEOUT": str(SENDING_TIMEOUT),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "studio",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--hostname",
            f"{queue}-{uuid.uuid4().hex[:4]}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],  # fmt: skip
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=(log_dir / "worker.log").open("a"),
    )
