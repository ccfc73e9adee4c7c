"""What the core announces to the stages above it (STYLE.md 16: it never calls them).

Sent inside the service's transaction, after its rows are written: a receiver's work
commits or rolls back with it. Receivers connect in their app's `AppConfig.ready()`.
"""

from django.dispatch import Signal

# close_visit: a consultation ended. Arguments: visit (closed, locked), staff (who closed it).
visit_closed = Signal()
