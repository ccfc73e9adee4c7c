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
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import formats, timezone, translation
from django_fsm_log.models import StateLog

from orders.models import Instalment, LedgerEntry, Order, State
from orders.selectors import OPEN_STATES, allocate, with_money
from studio import lunar
from studio.models import Branch, ConsentChannel, ConsentPurpose, Customer, Staff, Visit
from studio.registry import Questions
from studio.selectors import consent_given
from studio.templatetags.studio import money

from .models import CallTask, CareRule, Complaint, Holiday, MessageTemplate, OutboxMessage, Purpose

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
    # Values for the message's placeholders beyond the couple, store and owner (an
    # instalment's amount and date), written in the couple's language.
    context: tuple[tuple[str, str], ...] = ()


# Each trigger's finder: (since, until, now) -> the facts in that window.
FINDERS = Questions("followups", CareRule.Trigger.values)


def orders_by_first_deposit(since, until):
    """Orders not cancelled whose first deposit was paid in [since, until], with that time
    as `deposit_at`. Only the orders with a deposit in the window (the ledger read by
    time, its index `ledger_created`) are asked for their first one: never an aggregate
    over the whole ledger."""
    deposits = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DEPOSIT, amount__gt=0)
    in_window = deposits.filter(created_at__gte=since, created_at__lte=until)
    first = deposits.filter(order=OuterRef("pk")).order_by("created_at").values("created_at")
    return (
        Order.objects.exclude(state=State.CANCELLED)
        .filter(pk__in=in_window.values("order_id"))
        .annotate(deposit_at=Subquery(first[:1]))
        .filter(deposit_at__gte=since, deposit_at__lte=until)
        .select_related("customer__branch", "customer__owner", "owner")
    )


def order_fact(order, at, **kwargs):
    """The fact that something happened to `order` at `at`: about its couple and owner."""
    return Fact(order.customer, at, f"order={order.pk}", order=order, owner=order.owner, **kwargs)


@FINDERS.answers(T.DEPOSIT_PAID)
def deposit_paid(since, until, now):
    return [order_fact(o, o.deposit_at) for o in orders_by_first_deposit(since, until)]


def _delivered(since, until, orders=None):
    """Orders (of `orders`) delivered in [since, until], by the state log's row to
    "delivered" (read by state and time: the index `statelog_by_state_and_time`)."""
    logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Order),
        state=State.DELIVERED,
        timestamp__gte=since,
        timestamp__lte=until,
    ).values_list("object_id", "timestamp")
    when = dict(logs)
    orders = (Order.objects.all() if orders is None else orders).filter(
        pk__in=when, state=State.DELIVERED
    )
    return [
        (o, when[o.pk])
        for o in orders.select_related("customer__branch", "customer__owner", "owner")
    ]


@FINDERS.answers(T.DELIVERED)
def delivered(since, until, now):
    return [order_fact(o, at) for o, at in _delivered(since, until)]


@FINDERS.answers(T.DELIVERED_NO_REFERRAL)
def delivered_no_referral(since, until, now):
    referred = Customer.objects.filter(referrer=OuterRef("customer"))
    orders = Order.objects.exclude(Exists(referred))
    return [order_fact(o, at) for o, at in _delivered(since, until, orders)]


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


def _zones():
    """The branches' time zones."""
    names = Branch.objects.values_list("timezone", flat=True).distinct()
    return [ZoneInfo(name) for name in names]


def _days(since, until):
    """The calendar days whose start, in a branch's time zone, falls in [since, until]: the
    days a dated fact of the window (at midnight, branch time) can be on."""
    zones = _zones()
    day, last = since.date() - timedelta(days=1), until.date() + timedelta(days=1)
    while day <= last:
        if any(since <= _midnight(day, zone) <= until for zone in zones):
            yield day
        day += timedelta(days=1)


def _in_window(facts, since, until):
    """The facts of [since, until], in time order (a day of `_days` may have begun in the
    window in one branch's time zone and not in another's)."""
    return sorted((f for f in facts if since <= f.at <= until), key=lambda f: f.at)


def _kept_on(day):
    """The (month, day) of the dates that come round on `day`: its own, and 29 February on
    28 February of a year without it."""
    kept = [(day.month, day.day)]
    if day.month == 2 and day.day == 28 and not _is_leap(day.year):
        kept.append((2, 29))
    return kept


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _dated(since, until, field, ref, *, years_after=0, exclude=None):
    """Customers whose `field` comes round (same month and day) on a day of the window: one
    query by month and day, which studio.Customer indexes (`customer_*_month_day`), never
    a scan of every couple."""
    days = {}  # (month, day) -> the days of the window it comes round on
    for day in _days(since, until):
        for month_day in _kept_on(day):
            days.setdefault(month_day, []).append(day)
    if not days:
        return []
    on_a_day = Q()
    for month, day in days:
        on_a_day |= Q(**{f"{field}__month": month, f"{field}__day": day})
    found = Customer.objects.filter(on_a_day, **{f"{field}__isnull": False})
    if exclude:
        found = found.exclude(**{exclude: True})
    facts = []
    for c in _couples(found):
        when = getattr(c, field)
        for day in days[(when.month, when.day)]:
            if when.year + years_after <= day.year:
                facts.append(_on(c, day, ref))
    return _in_window(facts, since, until)


def _couples(customers):
    """The customers of a dated trigger, in pk order, with their branch and owner. A day's
    birthdays are some 1,100 couples of a chain that has 20 branches and a few hundred
    staff: each branch and owner is read once and shared, where `select_related` would
    build both again for every couple (docs/performance.md, "Stop 25")."""
    found = list(customers.order_by("pk"))
    if not found:
        return found
    branches = Branch.objects.in_bulk({c.branch_id for c in found})
    owners = Staff.objects.in_bulk({c.owner_id for c in found if c.owner_id is not None})
    for c in found:
        c.branch = branches[c.branch_id]
        c.owner = owners.get(c.owner_id)  # None for a couple without an owner
    return found


def _midnight(day, zone):
    return datetime.combine(day, time.min, zone)


def _on(customer, day, ref, **kwargs):
    at = _midnight(day, customer.branch.tzinfo)
    return Fact(customer, at, f"customer={customer.pk}:{ref}", **kwargs)


def _lunar_birthdays(since, until, field, ref):
    """Customers whose birthday is kept by the lunar calendar, on the day of the window it
    comes round (`studio.lunar.observed`: a leap-month birthday in the ordinary month in
    years without it, the 30th on the 29th in a short month). The window's days ask, in
    one query, by the dates of birth that are their lunar birthdays (an indexed IN), never
    by scanning customers."""
    days = {}  # a date of birth -> the days of the window it is the lunar birthday on
    for day in _days(since, until):
        if not lunar.FIRST_DAY <= day < lunar.LAST_DAY:
            continue
        year = lunar.to_lunar(day).year
        for d in lunar.kept_on(day):
            for born in lunar.born_on(d.month, d.day, d.leap, year):
                if born <= day:
                    days.setdefault(born, []).append(day)
    if not days:
        return []
    found = Customer.objects.filter(**{f"{field}_is_lunar": True, f"{field}__in": sorted(days)})
    facts = [_on(c, day, ref) for c in _couples(found) for day in days[getattr(c, field)]]
    return _in_window(facts, since, until)


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


def care_occasion(rule_key: str, ref: str, day: date) -> str:
    """`care:<rule>:<what>:<day it happened>`: the occasion a care rule fires with, once
    (services.care_occasion)."""
    return f"care:{rule_key}:{ref}:{day.isoformat()}"


def _greeted(rule, holiday, day):
    """What `rule` already wrote for a customer (OuterRef "pk") on `holiday` on `day`, by
    the occasion it gives them: one index probe per customer (a message's occasion is
    unique per customer, a call's on its own)."""
    # care_occasion(rule.key, f"customer={pk}:holiday={holiday.key}", day), in SQL
    ref = f"customer=\0:holiday={holiday.key}"
    before, after = care_occasion(rule.key, ref, day).split("\0")
    pk = Cast(OuterRef("pk"), CharField())
    occasion = Concat(Value(before), pk, Value(after), output_field=CharField())
    if rule.action == CareRule.Action.CALL:
        return CallTask.objects.filter(occasion=occasion)
    return OutboxMessage.objects.filter(customer=OuterRef("pk"), occasion=occasion)


def _consenting(rule):
    """The customers whose consent lets the rule's greeting reach them: the template's
    purpose (care, usually) on one of its channels; without a rule, care on any channel.
    Read by the latest consent record per customer (studio.selectors.consent_given)."""
    if rule is not None and rule.template_key:
        templates = MessageTemplate.objects.filter(key=rule.template_key, is_active=True)
        pairs = set(templates.values_list("purpose", "channel"))
    else:
        pairs = {(ConsentPurpose.CARE, c) for c in ConsentChannel.values}
    pairs = {(p, c) for p, c in pairs if p != Purpose.SERVICE}
    if not pairs:
        return Customer.objects.all()  # a service notice: everyone
    names = {f"consent_{i}": consent_given(p, c) for i, (p, c) in enumerate(sorted(pairs))}
    anyone = Q()
    for name in names:
        anyone |= Q(**{name: True})
    return Customer.objects.alias(**names).filter(anyone)


@FINDERS.answers(T.HOLIDAY)
def holiday(since, until, now, *, rule=None):
    """Every customer who agreed to the greeting's purpose on its channel, on each active
    holiday of the window. Customers without consent are not asked at all: a greeting to
    them would only be skipped.

    The facts of a holiday are the whole chain's consenting couples, so the engine asks
    with the `rule` that names the holiday (services.due_care), a page of couples at a
    time (`holiday_page`): only that holiday is looked at, only once the rule's time has
    come, and only the couples it has not yet written to for it: the runs before the day
    and after the greetings went out read nobody.
    """
    facts, _after = holiday_page(since, until, now, rule=rule)
    return facts


def holiday_page(since, until, now, *, rule=None, after=0, limit=None):
    """(facts, next) of `holiday` for the customers numbered above `after`, at most `limit`
    of them per holiday and day (all of them when None), in the order of their numbers.
    `next` is the number to ask after for the next page, None when this was the last: a
    page stops at the lowest last number of the holiday-days that filled theirs, so no
    customer of any of them is left behind."""
    holidays = Holiday.objects.filter(is_active=True)
    if rule is not None:
        holidays = holidays.filter(pk=rule.holiday_id)
    holidays = list(holidays)
    zones = _zones()
    facts = []
    cut = None  # the last customer number every holiday-day of this page has read up to
    for day in _days(since, until):
        if rule is not None and all(rule.fire_time(_midnight(day, z), z) > now for z in zones):
            continue  # the rule's time has not come in any branch: nobody to greet yet
        for h in (h for h in holidays if h.falls_on(day)):
            customers = _consenting(rule).filter(pk__gt=after)
            if rule is not None:
                customers = customers.exclude(Exists(_greeted(rule, h, day)))
            customers = customers.select_related("branch", "owner").order_by("pk")
            found = list(customers if limit is None else customers[:limit])
            if limit is not None and len(found) == limit:
                cut = found[-1].pk if cut is None else min(cut, found[-1].pk)
            facts += [_on(c, day, f"holiday={h.key}", holiday=h.key) for c in found]
    if cut is not None:
        facts = [f for f in facts if f.customer.pk <= cut]
    return _in_window(facts, since, until), cut


@FINDERS.answers(T.INSTALMENT_DUE)
def instalment_due(since, until, now):
    """The instalments of open orders falling due on a day of the window with something of
    them still unpaid (orders.selectors.allocate: the balance pays them in date order), as
    of `now`. One fact per instalment: `order=<pk>:instalment=<date>`, so a reminder is sent
    once however often the plan is edited, and again only for a new date."""
    days = sorted(_days(since, until))
    if not days:
        return []
    order_ids = set(
        Instalment.objects.filter(
            is_current=True, due_on__in=days, order__state__in=OPEN_STATES
        ).values_list("order_id", flat=True)
    )
    if not order_ids:
        return []
    schedules = {}
    for order_id, due_on, amount in Instalment.objects.filter(
        order__in=order_ids, is_current=True
    ).values_list("order_id", "due_on", "amount"):
        schedules.setdefault(order_id, []).append((due_on, amount))
    orders = with_money(Order.objects.filter(pk__in=order_ids)).select_related(
        "customer__branch", "customer__owner", "owner"
    )
    facts = []
    for order in orders:
        tz = order.customer.branch.tzinfo
        plan = allocate(schedules[order.pk], order.balance, timezone.localtime(now, tz).date())
        for part in plan.instalments:
            if part.due_on not in days or part.unpaid <= 0:
                continue
            with translation.override(order.customer.language):
                context = (
                    ("amount", money(part.unpaid)),
                    ("due_date", formats.date_format(part.due_on, "DATE_FORMAT")),
                )
            facts.append(
                Fact(
                    order.customer,
                    _midnight(part.due_on, tz),
                    f"order={order.pk}:instalment={part.due_on.isoformat()}",
                    order=order,
                    owner=order.owner,
                    upcoming=True,
                    context=context,
                )
            )
    return _in_window(facts, since, until)
