"""Demo complaints for one branch, through the followups services, and one run of the care
rules so today's aftercare calls and messages are on the lists.

Call after the branch's orders exist: `followups.demo.seed(branch, team, rng)`.
"""

from datetime import timedelta

import time_machine
from django.utils import timezone

from orders.models import Order, State
from studio import roles

from . import services

COMPLAINTS = [
    ("相册封面有划痕 The album cover is scratched.", "免费更换封面 Cover replaced free of charge."),
    ("等待化妆时间过长 Waited too long for makeup.", ""),
]


def seed(branch, team, rng):
    """Two complaints on delivered or ready orders (one resolved), then the care rules."""
    desk = [s for s in team if s.role_set & roles.LOGS_COMPLAINTS] or team
    orders = list(
        Order.objects.filter(branch=branch, state__in=[State.DELIVERED, State.READY])
        .select_related("customer")
        .order_by("signed_at")[: len(COMPLAINTS)]
    )
    logged = []
    for i, (order, (text, resolution)) in enumerate(zip(orders, COMPLAINTS, strict=False)):
        with time_machine.travel(timezone.now() - timedelta(days=1 + i), tick=False):
            complaint = services.log_complaint(
                customer=order.customer, order=order, text=text, logged_by=rng.choice(desk)
            )
        if resolution:
            complaint = services.resolve_complaint(
                complaint=complaint, resolution=resolution, by=complaint.owner
            )
        logged.append(complaint)
    services.run_care_rules()
    return logged
