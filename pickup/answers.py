"""What the pickup answers for the apps below it (STYLE.md 16), registered from
`PickupConfig.ready()`: when an order's pickup is booked (`selection.facts`, for the
production board's due dates) and the care rules' pickup trigger (`followups.triggers`)."""

from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from followups.models import CareRule
from followups.triggers import FINDERS, Fact, order_fact
from orders import facts
from orders.models import Order, State
from selection import facts as selection_facts

from .models import PickupAppointment

T = CareRule.Trigger


@selection_facts.answers("booked_pickup_start")
def booked_pickup_start(order: OuterRef) -> Subquery:
    booked = PickupAppointment.objects.filter(
        order=order, status=PickupAppointment.Status.BOOKED
    ).order_by("starts_at")
    return Subquery(booked.values("starts_at")[:1])


@FINDERS.answers(T.READY_FOR_PICKUP)
def ready_for_pickup(since: datetime, until: datetime, now: datetime) -> list[Fact]:
    pickups = PickupAppointment.objects.filter(
        status=PickupAppointment.Status.BOOKED,
        order__state=State.READY,
        starts_at__gte=since,
        starts_at__lte=until,
    ).select_related("order__customer__branch", "order__owner")
    return [order_fact(p.order, p.starts_at, upcoming=True) for p in pickups]


# --- A transfer between branches (orders.facts.BOOKINGS) ---


@facts.answers_bookings("future_pickup_appointments")
def future_pickup_appointments(orders: list[Order], now: datetime) -> list[str]:
    pickups = PickupAppointment.objects.filter(
        order__in=orders, status=PickupAppointment.Status.BOOKED, starts_at__gte=now
    ).select_related("order", "branch")
    return [
        _("Order %(order)s: pickup on %(when)s")
        % {
            "order": p.order.number,
            "when": date_format(localtime(p.starts_at, p.branch.tzinfo), "SHORT_DATETIME_FORMAT"),
        }
        for p in pickups.order_by("starts_at")
    ]
