"""Reads that may go to the PostgreSQL replica (DATABASE_REPLICA_URL), and only those.

The managers' reports read a great deal and can afford to be a moment behind; they run
inside `replica()`. Everything else, and everything when no replica is configured, uses
the primary database.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_on_replica = ContextVar("on_replica", default=False)

REPLICA = "replica"


@contextmanager
def replica():
    """Send this block's reads to the replica, when there is one."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
