"""Demo pickup appointments for one branch, booked through the pickup service.

Call after the branch's orders exist: `pickup.demo.seed(branch, team, rng)`.
"""

from datetime import datetime, time, timedelta

from orders.models import Order, State
from studio import roles

from . import services


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
    return booked
