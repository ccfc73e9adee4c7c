"""The facts the care rules react to, read from the apps that own them.

Each trigger has a finder `(since, until, now) -> [Fact]`: the events whose time falls in
[since, until] and whose condition still holds at `now` (an urge call only while there is
still no shoot, a VIP greeting only while the couple has referred nobody). The rules'
engine (`services.run_care_rules`) asks `FINDERS` and decides which of them are due.

`followups` never imports a stage app (STYLE.md 16): it finds here the facts it can read
itself (orders, visits, calls, complaints, customers); a stage registers the finders of its
own events from its `AppConfig.ready()` (`shoots.answers`, `selection.answers`,
`pickup.answers`), with `Fact`, `order_fact` and `orders_by_first_deposit` from here.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Min, OuterRef, Q
from django_fsm_log.models import StateLog

from orders.models import LedgerEntry, Order, State
from studio import lunar
from studio.models import Customer, Staff, Visit
from studio.registry import Questions

from .models import CallTask, CareRule, Complaint, Holiday

T = CareRule.Trigger


@dataclass(frozen=True)
class Fact:
    customer: Customer  # who the message goes to, or who is called
    at: datetime  # when it happened (or will happen)
    ref: str  # what it is about, part of the occasion: "order=12", "bride"
    order: Order | None = None
    owner: Staff | None = None  # who looks after it; the customer's owner when None
    upcoming: bool = False  # a "before" rule must not fire once the event has passed
    holiday: str = ""  # a holiday's key: only the rule naming that holiday fires for it


# Each trigger's finder: (since, until, now) -> the facts in that window.
FINDERS = Questions("followups", CareRule.Trigger.values)


def orders_by_first_deposit(since, until):
    """Orders not cancelled whose first deposit was paid in [since, until], with that time
    as `deposit_at`."""
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


def order_fact(order, at, **kwargs):
    """The fact that something happened to `order` at `at`: about its couple and owner."""
    return Fact(order.customer, at, f"order={order.pk}", order=order, owner=order.owner, **kwargs)


@FINDERS.answers(T.DEPOSIT_PAID)
def deposit_paid(since, until, now):
    return [order_fact(o, o.deposit_at) for o in orders_by_first_deposit(since, until)]


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


@FINDERS.answers(T.DELIVERED)
def delivered(since, until, now):
    return [order_fact(o, at) for o, at in _delivered(since, until)]


@FINDERS.answers(T.DELIVERED_NO_REFERRAL)
def delivered_no_referral(since, until, now):
    referrers = set(
        Customer.objects.filter(referrals__isnull=False).values_list("pk", flat=True).distinct()
    )
    return [
        order_fact(o, at) for o, at in _delivered(since, until) if o.customer_id not in referrers
    ]


@FINDERS.answers(T.COMPLAINT_LOGGED)
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


@FINDERS.answers(T.CALL_FAILED)
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


@FINDERS.answers(T.VISIT_NOT_BOOKED)
def visit_not_booked(since, until, now):
    visits = _not_signed(
        Visit.objects.filter(
            outcome=Visit.Outcome.NOT_BOOKED, closed_at__gte=since, closed_at__lte=until
        )
    ).select_related("customer__branch", "customer__owner", "taker")
    return [Fact(v.customer, v.closed_at, f"visit={v.pk}", owner=v.taker) for v in visits]


@FINDERS.answers(T.REFERRED_ORDER_BOOKED)
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


def _dated(since, until, field, ref, *, years_after=0, exclude=None):
    """Customers whose `field` comes round (same month and day) on a day of the window."""
    facts = []
    for day in _days(since, until):
        found = Customer.objects.filter(_on_day(field, day), **{f"{field}__isnull": False})
        if exclude:
            found = found.exclude(**{exclude: True})
        for c in found.select_related("branch", "owner"):
            if getattr(c, field).year + years_after > day.year:
                continue
            facts.append(_on(c, day, ref))
    return facts


def _on(customer, day, ref, **kwargs):
    at = datetime.combine(day, time.min, customer.branch.tzinfo)
    return Fact(customer, at, f"customer={customer.pk}:{ref}", **kwargs)


def _lunar_birthdays(since, until, field, ref):
    """Customers whose birthday is kept by the lunar calendar, on the day of the window it
    comes round (`studio.lunar.observed`: a leap-month birthday in the ordinary month in
    years without it, the 30th on the 29th in a short month). Each day asks by the dates of
    birth that are its lunar birthdays (an indexed IN), never by scanning customers."""
    facts = []
    for day in _days(since, until):
        if not lunar.FIRST_DAY <= day < lunar.LAST_DAY:
            continue
        year = lunar.to_lunar(day).year
        born = {b for d in lunar.kept_on(day) for b in lunar.born_on(d.month, d.day, d.leap, year)}
        found = Customer.objects.filter(
            **{f"{field}_is_lunar": True, f"{field}__in": sorted(b for b in born if b <= day)}
        )
        facts += [_on(c, day, ref) for c in found.select_related("branch", "owner")]
    return facts


@FINDERS.answers(T.BIRTHDAY)
def birthday(since, until, now):
    facts = []
    for person in ("bride", "groom"):
        field = f"{person}_birthday"
        facts += _dated(since, until, field, person, exclude=f"{field}_is_lunar")
        facts += _lunar_birthdays(since, until, field, person)
    return facts


@FINDERS.answers(T.WEDDING_ANNIVERSARY)
def wedding_anniversary(since, until, now):
    return _dated(since, until, "wedding_date", "anniversary", years_after=1)


@FINDERS.answers(T.HOLIDAY)
def holiday(since, until, now):
    """Every customer who agreed to marketing messages, on each active holiday of the
    window; the rule naming that holiday fires (services.due_care). Customers without
    consent are not asked at all: a greeting to them would only be skipped."""
    holidays = list(Holiday.objects.filter(is_active=True))
    facts = []
    for day in _days(since, until):
        today = [h for h in holidays if h.falls_on(day)]
        if not today:
            continue
        for c in Customer.objects.filter(marketing_consent=True).select_related("branch", "owner"):
            facts += [_on(c, day, f"holiday={h.key}", holiday=h.key) for h in today]
    return facts
