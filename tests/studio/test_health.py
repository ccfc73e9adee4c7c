"""/health/: no login needed, beat's heartbeat age checked, the page in the reader's language."""

import threading
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.db import connections
from django.utils import timezone

from studio.health import BeatHeartbeat
from studio.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)


def in_a_thread(fn):
    """Run fn as gunicorn would: in a thread with no event loop (Playwright's sync API
    leaves one in the test thread once a browser test ran), closing its connection after."""
    result = []

    def run():
        try:
            result.append(fn())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return result[0]


def check_beat():
    # As in a request: the check's ORM call runs back in the calling thread.
    return in_a_thread(lambda: async_to_sync(BeatHeartbeat().get_result)().error)


def test_a_recent_heartbeat_is_healthy():
    WorkerHeartbeat.objects.create(name="beat", last_seen=timezone.now() - timedelta(minutes=2))
    assert check_beat() is None


def test_an_old_heartbeat_or_none_is_not(settings):
    assert "No heartbeat" in str(check_beat())
    WorkerHeartbeat.objects.create(
        name="beat",
        last_seen=timezone.now() - timedelta(seconds=settings.HEALTH_BEAT_MAX_AGE_SECONDS + 60),
    )
    assert "6 minutes old" in str(check_beat())


def test_the_page_needs_no_login_and_speaks_chinese(client):
    response = in_a_thread(
        lambda: client.get("/health/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="zh-hans")
    )
    page = response.content.decode()
    # No worker runs here: the Celery ping fails, so the page says something is down.
    assert response.status_code == 500
    assert "有服务出现故障" in page and "服务" in page
    assert "尚未收到定时调度（beat）的心跳。" in page
