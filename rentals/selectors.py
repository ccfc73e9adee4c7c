"""Reads the rental pages and the front desk share."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from studio.models import Branch

from .models import Dress, DressReservation

LIVE = [DressReservation.Status.RESERVED, DressReservation.Status.PICKED_UP]


def dresses(*, branch: Branch, today: date, category: str = "", size: str = "") -> QuerySet[Dress]:
    """The branch's active dresses with the live reservations from today on: two queries."""
    found = Dress.objects.filter(branch=branch, is_active=True)
    if category:
        found = found.filter(category=category)
    if size:
        found = found.filter(size__iexact=size)
    upcoming = DressReservation.objects.filter(status__in=LIVE, cleaning_until__gte=today).order_by(
        "pickup_on"
    )
    return found.prefetch_related(Prefetch("reservations", upcoming, to_attr="upcoming"))


def reservations(*, branch: Branch, since: date) -> QuerySet[DressReservation]:
    """Live reservations still to pick up or to come back, soonest first."""
    return (
        DressReservation.objects.filter(branch=branch, status__in=LIVE, return_on__gte=since)
        .select_related("dress", "customer", "order")
        .order_by("pickup_on", "pk")
    )


def desk_on(*, branch: Branch, day: date, overdue: bool = False) -> QuerySet[DressReservation]:
    """Dresses going out (reserved, picking up on `day`) and coming back (returning on
    `day`, or before it with `overdue`), for the Today page: one query."""
    returns = Q(return_on__lte=day) if overdue else Q(return_on=day)
    return (
        DressReservation.objects.filter(branch=branch)
        .filter(
            Q(status=DressReservation.Status.RESERVED, pickup_on=day)
            | (Q(status=DressReservation.Status.PICKED_UP) & returns)
        )
        .select_related("dress")
        .order_by("pk")
    )
