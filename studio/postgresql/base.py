"""Django's PostgreSQL backend, with a health check that costs no round trip when the
connection is plainly healthy.

Connections are kept between requests (CONN_MAX_AGE) and checked before reuse
(CONN_HEALTH_CHECKS), so that a database restart costs no one an error page. Django checks
by sending `SELECT 1` at the start of every request that uses the database: a round trip
to the server before the request's first query, 0.05 ms when the server's core is awake and
0.35 ms on this machine when it is not (docs/performance.md, "Stop 22"), every request.

A connection that sat idle between requests has nothing to say. If the server ended it
(a restart, `pg_terminate_backend`, an idle timeout), it sent its farewell and closed the
socket, which is then readable. So: an open connection, idle outside a transaction, whose
socket has nothing to read, is used as it is; anything else is asked with Django's
`SELECT 1`, and closed (then reopened) if the answer does not come. A connection whose
server vanished without a word (a cable pulled) passes both checks alike, and its first
query fails as it would after `SELECT 1` waited for it.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            not self.pool
            and self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._quietly_idle()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quietly_idle(self) -> bool:
        """Open, outside any transaction, and nothing from the server waiting to be read."""
        raw = self.connection
        if raw.closed or raw.broken or raw.info.transaction_status != TransactionStatus.IDLE:
            return False
        try:
            readable, _, _ = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
