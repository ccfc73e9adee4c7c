"""Two desks at the same instant on the zero-setup SQLite database come out exactly as on
PostgreSQL: no "database is locked", one shoot of two clashing bookings, one check-in."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from .races import outcomes

pytestmark = pytest.mark.django_db(transaction=True)

EXPECTED = {
    "registrations": {
        "results": ["ok", "ok"],
        "errors": [],
        "visits": 2,
        "couples": 2,
        "different_takers": True,
    },
    "bookings": {"results": ["DoubleBooking", "ok"], "shoots": 1},
    "check_ins": {"results": ["AlreadyDone", "ok"], "status": "checked_in"},
}


def test_on_postgresql():
    assert outcomes() == EXPECTED


def test_on_sqlite_the_same_as_on_postgresql(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-m", "tests.studio.races", str(tmp_path / "desks.sqlite3")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen.pop("vendor") == "sqlite"
    assert seen.pop("journal") == "wal"
    assert seen == EXPECTED
