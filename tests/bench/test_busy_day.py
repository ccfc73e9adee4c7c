"""The busy day (bench.busy), a few seconds of it at one branch of a small chain: the
staff's pages answer as they should (no error) and what they were told is what the database
holds afterwards (no double booking, money and transitions as pressed, nothing filed twice).
The full-size run is `python -m bench busy` (make bench)."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from bench import busy, chain

pytestmark = pytest.mark.django_db(transaction=True)

SCALE = chain.Scale(factor=0.002, branches=2, years=0.5, seed=11)
# One branch's desk staff and one tablet, short pauses and polls, many double presses: a few
# seconds go through every flow.
SCENARIO = busy.Scenario(seconds=6, staff=5, branches=1, think=0.1, poll=1.5, double=0.4, seed=5)


def test_a_short_busy_day_has_no_errors_and_breaks_no_invariant(tmp_path):
    chain.build(SCALE, now=timezone.now(), out=lambda line: None)
    # The server checks passwords with the production hashers (the tests' MD5 is not one).
    User.objects.update(password=PBKDF2PasswordHasher().encode(chain.PASSWORD, "busyday0salt"))
    name = connection.settings_dict["NAME"]
    url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
    lines = []
    # The copy needs the test database to itself. Earlier tests may have left sessions on it
    # (the shared Celery worker, a live server's threads): they reconnect when next used.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )

    report = busy.run(
        url=url,
        template=name,
        out_dir=tmp_path,
        log=lines.append,
        scenario=SCENARIO,
    )

    assert report["errors"] == 0, report["failures"]
    assert report["invariants_broken"] == []
    assert report["ok"]
    done = report["done"]
    assert done["visits"] and done["orders signed"] and done["payments"], done
    assert done["transitions"] > 0, done
    flows = {f["name"]: f for f in report["flows"]}
    assert flows["tablet poll (htmx)"]["runs"] > 0
    assert (tmp_path / "busy.json").exists()
    assert connection.settings_dict["NAME"] == name  # back on the test database
    assert any(line.startswith("Dropped ") for line in lines)
