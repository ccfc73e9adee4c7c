"""Kept database connections and the kept Redis client (studio.postgresql, studio.cache)."""

import select
import time

import psycopg
import pytest
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.django_db(
    transaction=True
)  # idle connections, outside a test's transaction


def _cursors_made(monkeypatch):
    """The raw psycopg cursors made on the connection from now on (Django's `SELECT 1`
    health check makes one)."""
    made = []
    raw = connection.connection
    real = raw.cursor
    monkeypatch.setattr(raw, "cursor", lambda *a, **kw: made.append(1) or real(*a, **kw))
    return made


def _kept_and_due_for_a_check():
    connection.ensure_connection()
    assert connection.health_check_enabled
    connection.health_check_done = False  # as at the start of a request


def test_an_idle_healthy_connection_is_reused_without_a_round_trip(monkeypatch):
    _kept_and_due_for_a_check()
    raw = connection.connection
    made = _cursors_made(monkeypatch)
    connection.close_if_health_check_failed()
    assert connection.connection is raw
    assert connection.health_check_done
    assert made == []


def test_a_connection_the_server_ended_is_found_and_replaced():
    _kept_and_due_for_a_check()
    raw = connection.connection
    pid = raw.info.backend_pid
    dsn = connection.get_connection_params()
    with psycopg.connect(
        dbname=dsn["dbname"], host=dsn.get("host"), port=dsn.get("port"), user=dsn.get("user"),
        autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server's farewell reaches the socket.
    deadline = time.monotonic() + 5
    while not select.select([raw.fileno()], [], [], 0.1)[0]:
        assert time.monotonic() < deadline, "the server did not close the connection"
    connection.close_if_health_check_failed()
    assert connection.connection is None  # closed, not used
    with connection.cursor() as cursor:  # and the next query opens a new one
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_inside_a_transaction_the_server_is_asked(monkeypatch):
    _kept_and_due_for_a_check()
    connection.connection.execute("BEGIN")
    made = _cursors_made(monkeypatch)
    try:
        connection.close_if_health_check_failed()
        assert made == [1]  # Django's SELECT 1
    finally:
        connection.connection.execute("ROLLBACK")


def test_the_redis_client_is_kept_between_cache_calls():
    client = cache._cache.get_client()
    cache.set("kept-client", 1)
    assert cache.get("kept-client") == 1
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: one pool
