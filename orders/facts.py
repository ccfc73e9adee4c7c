"""What the Order's guards ask the stages above `orders` (STYLE.md 16).

`orders` never imports a stage app. A guard asks its question here; the stage that owns the
fact answers it from its `AppConfig.ready()` (`shoots.answers`, `selection.answers`):

    from orders import facts

    @facts.answers("files_ready")
    def files_ready(order: Order) -> bool: ...

A question nobody answers stops the project at start-up (system check `studio.E010`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from studio.registry import Questions

if TYPE_CHECKING:
    from .models import Order

QUESTIONS = Questions(
    "orders",
    [
        "shoot_is_today",  # a planned shoot falls on today's date at the branch (check-in)
        "has_planned_shoot",  # a shoot is booked on the control sheet
        "files_ready",  # the image files are transferred and checked complete
        "selection_signed",  # the customer signed the production list
        "upsell_settled",  # the selection upsell is paid or recorded as owed
        "change_window_open",  # the 3 hours after signing, for changes, have not run out
        "change_window_waived",  # the customer waived those 3 hours
        "all_items_passed_qc",  # every production item passed quality control
        "all_items_handed_over",  # every production item was handed to the customer
    ],
)

answers = QUESTIONS.answers


def ask(name: str, order: Order) -> bool:
    """The stage's answer to the question `name` about `order`."""
    return bool(QUESTIONS.ask(name, order))


# A transfer between branches asks each stage which of the orders' bookings at their branch
# lie ahead (orders.services.transfer_customer refuses while any do): each answer is
# `(orders, now) -> [str]`, one sentence per booking in the reader's language.
BOOKINGS = Questions(
    "orders (transfers)",
    [
        "future_shoots",
        "future_selection_appointments",
        "future_pickup_appointments",
        "future_dress_reservations",
    ],
)

answers_bookings = BOOKINGS.answers


def future_bookings(orders: list[Order], now: datetime) -> list[str]:
    """Every booking of `orders` at their branch from `now` on, as sentences."""
    found: list[str] = []
    for name in BOOKINGS.names:
        found += BOOKINGS.ask(name, orders, now)
    return found
