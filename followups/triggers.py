"""The facts the care rules react to, read from the stages that own them.

Each trigger is a function `(since, until, now) -> [Fact]`: the events whose time falls in
[since, until] and whose condition still holds at `now` (an urge call only while there is
still no shoot, a VIP greeting only while the couple has referred nobody). The rules'
engine (`services.run_care_rules`) decides which of them are due.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Min, OuterRef, Q
from django_fsm_log.models import StateLog

from orders.models import LedgerEntry, Order, State
from studio.models import Customer, Staff, Visit

from .models import CallTask, CareRule, Complaint

T = CareRule.Trigger
LIVE_SHOOT = ("planned", "checked_in", "finished")


@dataclass(frozen=True)
class Fact:
    customer: Customer  # who the message goes to, or who is called
    at: datetime  # when it happened (or will happen)
    ref: str  # what it is about, part of the occasion: "order=12", "bride"
    order: Order | None = None
    owner: Staff | None = None  # who looks after it; the customer's owner when None
    upcoming: bool = False  # a "before" rule must not fire once the event has passed


def _orders_by_first_deposit(since, until):
    return (
        Order.objects.exclude(state=State.CANCELLED)
        .annotate(
            deposit_at=Min(
                "ledger__created_at",
                filter=Q(ledger__kind=LedgerEntry.Kind.DEPOSIT, ledger__amount__gt=0),
            )
        )
        .filter(deposit_at__gte=since, deposit_at__lte=until)
        .select_related("customer__branch", "customer__owner", "owner")
    )


def _order_fact(order, at, **kwargs):
    return Fact(order.customer, at, f"order={order.pk}", order=order, owner=order.owner, **kwargs)


def deposit_paid(since, until, now):
    return [_order_fact(o, o.deposit_at) for o in _orders_by_first_deposit(since, until)]


def no_shoot_after_deposit(since, until, now):
    from shoots.models import Shoot

    live = Shoot.objects.filter(order=OuterRef("pk"), status__in=LIVE_SHOOT)
    orders = _orders_by_first_deposit(since, until).filter(state=State.BOOKED).exclude(Exists(live))
    return [_order_fact(o, o.deposit_at) for o in orders]


def shoot_upcoming(since, until, now):
    from shoots.models import Shoot

    shoots = Shoot.objects.filter(
        status=Shoot.Status.PLANNED, starts_at__gte=since, starts_at__lte=until
    ).select_related("order__customer__branch", "order__owner")
    return [_order_fact(s.order, s.starts_at, upcoming=True) for s in shoots]


def shoot_done(since, until, now):
    from shoots.models import Shoot

    shoots = Shoot.objects.filter(
        status=Shoot.Status.FINISHED, finished_at__gte=since, finished_at__lte=until
    ).select_related("order__customer__branch", "order__owner")
    return [_order_fact(s.order, s.finished_at) for s in shoots]


def _selections(since, until):
    from selection.models import SelectionSession

    return (
        SelectionSession.objects.filter(appointment_at__gte=since, appointment_at__lte=until)
        .exclude(order__state=State.CANCELLED)
        .select_related("order__customer__branch", "order__owner")
    )


def selection_upcoming(since, until, now):
    sessions = _selections(since, until).filter(signed_at__isnull=True)
    return [_order_fact(s.order, s.appointment_at, upcoming=True) for s in sessions]


def selection_done(since, until, now):
    sessions = _selections(since, until).filter(signed_at__isnull=False)
    return [_order_fact(s.order, s.appointment_at) for s in sessions]


def ready_for_pickup(since, until, now):
    from pickup.models import PickupAppointment

    pickups = PickupAppointment.objects.filter(
        status=PickupAppointment.Status.BOOKED,
        order__state=State.READY,
        starts_at__gte=since,
        starts_at__lte=until,
    ).select_related("order__customer__branch", "order__owner")
    return [_order_fact(p.order, p.starts_at, upcoming=True) for p in pickups]


def _delivered(since, until):
    """Orders delivered in [since, until], by the state log's row to "delivered"."""
    logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Order),
        state=State.DELIVERED,
        timestamp__gte=since,
        timestamp__lte=until,
    ).values_list("object_id", "timestamp")
    when = dict(logs)
    orders = Order.objects.filter(pk__in=when, state=State.DELIVERED).select_related(
        "customer__branch", "customer__owner", "owner"
    )
    return [(o, when[o.pk]) for o in orders]


def delivered(since, until, now):
    return [_order_fact(o, at) for o, at in _delivered(since, until)]


def delivered_no_referral(since, until, now):
    referrers = set(
        Customer.objects.filter(referrals__isnull=False).values_list("pk", flat=True).distinct()
    )
    return [
        _order_fact(o, at) for o, at in _delivered(since, until) if o.customer_id not in referrers
    ]


def complaint_logged(since, until, now):
    complaints = Complaint.objects.filter(
        created_at__gte=since, created_at__lte=until
    ).select_related("customer__branch", "customer__owner", "order", "owner")
    return [
        Fact(c.customer, c.created_at, f"complaint={c.pk}", order=c.order, owner=c.owner)
        for c in complaints
    ]


def _not_signed(queryset, field="customer"):
    live = Order.objects.filter(customer=OuterRef(field)).exclude(state=State.CANCELLED)
    return queryset.exclude(Exists(live))


def call_failed(since, until, now):
    """A follow-up call of a couple who did not book went unanswered (and they still have
    not signed): the next day's special offer."""
    tasks = _not_signed(
        CallTask.objects.filter(
            kind=CallTask.Kind.VISIT_FOLLOWUP,
            status=CallTask.Status.FAILED,
            done_at__gte=since,
            done_at__lte=until,
        )
    ).select_related("customer__branch", "customer__owner", "assignee")
    return [Fact(t.customer, t.done_at, f"call={t.pk}", owner=t.assignee) for t in tasks]


def visit_not_booked(since, until, now):
    visits = _not_signed(
        Visit.objects.filter(
            outcome=Visit.Outcome.NOT_BOOKED, closed_at__gte=since, closed_at__lte=until
        )
    ).select_related("customer__branch", "customer__owner", "taker")
    return [Fact(v.customer, v.closed_at, f"visit={v.pk}", owner=v.taker) for v in visits]


def referred_order_booked(since, until, now):
    """A couple someone referred signed: the referrer is thanked (the fact is theirs)."""
    orders = (
        Order.objects.exclude(state=State.CANCELLED)
        .filter(customer__referrer__isnull=False, signed_at__gte=since, signed_at__lte=until)
        .select_related("customer__referrer__branch", "customer__referrer__owner")
    )
    return [Fact(o.customer.referrer, o.signed_at, f"order={o.pk}", order=None) for o in orders]


def _days(since, until):
    """Every calendar day the window touches, a day either side for time zones."""
    day, last = since.date() - timedelta(days=1), until.date() + timedelta(days=1)
    while day <= last:
        yield day
        day += timedelta(days=1)


def _on_day(field, day):
    q = Q(**{f"{field}__month": day.month, f"{field}__day": day.day})
    if day.month == 2 and day.day == 28 and not _is_leap(day.year):
        q |= Q(**{f"{field}__month": 2, f"{field}__day": 29})  # celebrated on the 28th
    return q


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _dated(since, until, field, ref, *, years_after=0):
    """Customers whose `field` comes round (same month and day) on a day of the window."""
    facts = []
    for day in _days(since, until):
        found = Customer.objects.filter(_on_day(field, day), **{f"{field}__isnull": False})
        for c in found.select_related("branch", "owner"):
            if getattr(c, field).year + years_after > day.year:
                continue
            at = datetime.combine(day, time.min, c.branch.tzinfo)
            facts.append(Fact(c, at, f"customer={c.pk}:{ref}"))
    return facts


def birthday(since, until, now):
    return _dated(since, until, "bride_birthday", "bride") + _dated(
        since, until, "groom_birthday", "groom"
    )


def wedding_anniversary(since, until, now):
    return _dated(since, until, "wedding_date", "anniversary", years_after=1)


# Each trigger's finder: (since, until, now) -> the facts in that window.
FINDERS: dict[str, Callable[[datetime, datetime, datetime], list[Fact]]] = {
    T.VISIT_NOT_BOOKED: visit_not_booked,
    T.CALL_FAILED: call_failed,
    T.DEPOSIT_PAID: deposit_paid,
    T.NO_SHOOT_AFTER_DEPOSIT: no_shoot_after_deposit,
    T.SHOOT_UPCOMING: shoot_upcoming,
    T.SHOOT_DONE: shoot_done,
    T.SELECTION_UPCOMING: selection_upcoming,
    T.SELECTION_DONE: selection_done,
    T.READY_FOR_PICKUP: ready_for_pickup,
    T.DELIVERED: delivered,
    T.COMPLAINT_LOGGED: complaint_logged,
    T.DELIVERED_NO_REFERRAL: delivered_no_referral,
    T.BIRTHDAY: birthday,
    T.WEDDING_ANNIVERSARY: wedding_anniversary,
    T.REFERRED_ORDER_BOOKED: referred_order_booked,
}
