"""Races on PostgreSQL: each callable in its own thread and database connection, all
released at the same moment. Tests using it need `django_db(transaction=True)`."""

import threading

from django.db import close_old_connections, connection


def run_together(*callables):
    """Start every callable at the same moment in its own thread and connection."""
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = ("error", exc)
        finally:
            connection.close()
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(callables)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results
