"""What the core announces to the stages above it (STYLE.md 16: it never calls them).

Sent inside the service's transaction, after its rows are written: a receiver's work
commits or rolls back with it. Receivers connect in their app's `AppConfig.ready()`.
"""

from django.dispatch import Signal

# close_visit: a consultation ended. Arguments: visit (closed, locked), staff (who closed it).
visit_closed = Signal()

# erase_customer, before anything changes: may this couple's personal data go now?
# Arguments: customer (locked). Each receiver returns a list of reasons it may not (in the
# reader's language; empty when nothing holds it): an open order, money owed or held.
erasure_refusals = Signal()

# erase_customer, after the core's own rows are anonymised: each stage anonymises its own
# rows of the couple (message texts and addresses, call notes, ID documents…), cancels
# what would still reach them, and keeps what the law keeps (orders, the ledger).
# Arguments: customer (locked, already anonymised), by (the manager).
customer_erased = Signal()
