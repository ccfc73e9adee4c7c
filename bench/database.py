"""The benchmark's own PostgreSQL database, next to the one DATABASE_URL names.

Its name comes from BENCH_DB (default `studio_bench_chain`) and must contain "bench" and
differ from DATABASE_URL's, so the development and test databases are never touched. The
dataset's version stamp (the builder's version, the scale and the moment it was built) is
kept in a table of its own, `bench_stamp`: a later run with the same stamp reuses the data.
"""

import json
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

DEFAULT_NAME = "studio_bench_chain"


class Refused(Exception):
    pass


def urls(name=None):
    """(the benchmark database's URL, its name), from DATABASE_URL."""
    base = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(base)
    if parts.scheme not in ("postgres", "postgresql"):
        raise Refused("DATABASE_URL must name a PostgreSQL server (make bench finds one).")
    name = name or os.environ.get("BENCH_DB") or DEFAULT_NAME
    current = parts.path.lstrip("/")
    if "bench" not in name or name == current or name.startswith("test_"):
        raise Refused(
            f"Refusing database {name!r}: the benchmark's database must contain 'bench' "
            f"and be another than DATABASE_URL's ({current!r})."
        )
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _admin(url):
    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def ensure(url, name):
    """Create the database if it is missing. Returns True when it was created."""
    with _admin(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
        return not exists


def recreate(url, name):
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def read_stamp(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_stamp')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT value FROM bench_stamp WHERE key = 'dataset'")
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0] if isinstance(row[0], dict) else json.loads(row[0])


def write_stamp(connection, stamp):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_stamp (key text PRIMARY KEY, value jsonb)")
        cursor.execute(
            "INSERT INTO bench_stamp VALUES ('dataset', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(stamp)],
        )
