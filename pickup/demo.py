"""Demo pickup appointments for one branch, booked through the pickup service.

Call after the branch's orders exist: `pickup.demo.seed(branch, team, rng)`.
"""

from datetime import datetime, time, timedelta

from orders.models import Order, State
from selection.models import ProductionItem
from studio import roles

from . import services
from .models import ItemCheck


def seed(branch, team, rng):
    """A pickup for every ready order (the first one today) and for some in production."""
    bookers = [s for s in team if s.role_set & {roles.PICKUP_CLERK, roles.RECEPTIONIST}] or team
    clerks = [s for s in team if roles.PICKUP_CLERK in s.role_set]
    ready = list(Order.objects.filter(branch=branch, state=State.READY).order_by("signed_at"))
    making = list(
        Order.objects.filter(branch=branch, state=State.IN_PRODUCTION).order_by("signed_at")
    )
    today = branch.today()
    booked = []
    for i, order in enumerate(ready + making[:2]):
        day = today + timedelta(days=i if order in ready else 5 + i)
        starts_at = datetime.combine(day, time(rng.choice([10, 14, 16]), 30), branch.tzinfo)
        booked.append(
            services.book_pickup(
                order=order,
                starts_at=starts_at,
                by=rng.choice(bookers),
                clerk=rng.choice(clerks) if clerks else None,
                note=rng.choice(["", "大件：请带帮手 Large frame: bring a helper"]),
                # Today's pickup may be earlier than the moment the demo is built.
                now=starts_at - timedelta(minutes=1),
            )
        )
    check_tomorrows(branch, booked, clerks or bookers, rng)
    return booked


def check_tomorrows(branch, booked, checkers, rng):
    """Tomorrow's ready pickups counted and checked the day before, everything OK."""
    tomorrow = branch.today() + timedelta(days=1)
    for pickup in booked:
        when = pickup.starts_at.astimezone(branch.tzinfo).date()
        items = list(ProductionItem.objects.filter(order=pickup.order, handed_over_at=None))
        if when != tomorrow or pickup.order.state != State.READY or not items:
            continue
        services.check_items(
            order=pickup.order,
            by=rng.choice(checkers),
            results={i.pk: (ItemCheck.Result.OK, "") for i in items},
        )
