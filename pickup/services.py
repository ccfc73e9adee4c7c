"""Writes for the pickup control sheet (DOMAIN.md, stage 6). Each is one transaction.

The hand-over itself (counting items, the lost-slip memo, the third sale) comes later.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import Order, State
from studio import roles

from .models import PickupAppointment, SlipSequence

BOOKABLE = (State.IN_PRODUCTION, State.READY)


def _next_slip_number(branch):
    """Unique per branch and without gaps: the counter row is locked until commit."""
    SlipSequence.objects.get_or_create(branch=branch)
    seq = SlipSequence.objects.select_for_update().get(branch=branch)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{branch.code.upper()}-P{seq.last:06d}"


def book_pickup(*, order, starts_at, by, clerk=None, note="", now=None):
    """Book (or move) the time a couple collects their order, and issue the pickup slip.

    Only an order in production or ready can be booked, and only for a time in the future.
    A booked appointment the order already has is kept as "moved"; the new one gets a new
    slip number. `clerk`, when given, must be a pickup clerk at the order's branch.
    """
    now = now or timezone.now()
    errors = {}
    if starts_at <= now:
        errors["starts_at"] = _("Choose a time in the future.")
    if clerk is not None and (
        order.branch_id not in clerk.branch_ids or not clerk.has_role(roles.PICKUP_CLERK)
    ):
        errors["clerk"] = _("%(name)s is not a pickup clerk at this branch.") % {
            "name": clerk.display_name
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("branch").get(pk=order.pk)
        if locked.state not in BOOKABLE:
            raise ValidationError(
                _("This order is %(state)s: a pickup is booked once it is in production.")
                % {"state": locked.get_state_display()}
            )
        PickupAppointment.objects.filter(
            order=locked, status=PickupAppointment.Status.BOOKED
        ).update(status=PickupAppointment.Status.MOVED)
        return PickupAppointment.objects.create(
            order=locked,
            branch=locked.branch,
            starts_at=starts_at,
            clerk=clerk,
            note=note,
            slip_number=_next_slip_number(locked.branch),
            created_by=by,
        )
