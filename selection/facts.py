"""What the selection asks the stages above it (STYLE.md 16).

The production board dates an item by its order's pickup, which the `pickup` app owns;
`selection` never imports it. The question is asked here and `pickup.answers` answers it
from `PickupConfig.ready()`. A question nobody answers stops the project at start-up
(system check `studio.E010`).
"""

from django.db.models import OuterRef, Subquery

from studio.registry import Questions

QUESTIONS = Questions(
    "selection",
    [
        # (order: OuterRef to an order) -> a Subquery of the start of that order's earliest
        # booked pickup (NULL when none), to annotate a queryset with.
        "booked_pickup_start",
    ],
)

answers = QUESTIONS.answers


def booked_pickup_start(order: OuterRef) -> Subquery:
    """The start of the booked pickup of the order `order` points at (NULL if none)."""
    answer: Subquery = QUESTIONS.ask("booked_pickup_start", order)
    return answer
