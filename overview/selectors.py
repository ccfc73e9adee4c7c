"""Reads that gather every stage: the customer file's timeline and the Today page.

These sit above the stages (core <- orders <- stages <- overview): they may read any
stage's models and selectors, and nothing below imports them.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followups import selectors as followups_selectors
from followups.models import CallTask, Complaint, OutboxMessage
from followups.selectors import Step, first_open_tasks, message_steps
from orders import selectors as orders_selectors
from orders.models import FapiaoRequest, LedgerEntry, Order, ReferralReward, StoredValueCard
from orders.selectors import with_money
from pickup import selectors as pickup_selectors
from pickup.models import PickupAppointment
from rentals import selectors as rentals_selectors
from rentals.models import DressReservation
from rentals.selectors import desk_on
from selection import selectors as selection_selectors
from selection.models import Compensation, SelectionSession
from shoots import selectors as shoots_selectors
from shoots.models import Shoot
from shoots.selectors import my_day
from studio import roles
from studio import selectors as studio_selectors
from studio.listing import choice_labels, labels, link_to
from studio.middleware import StaffRequest
from studio.models import ConsentEvent, Customer, CustomerChange, Leave, Staff, Visit
from studio.prepared import Marker, Prepared, may_have, unseen
from studio.selectors import DataSection, covering_for, open_visits, pending_approvals
from studio.templatetags.studio import money

# --- The customer file: everything about a couple, newest first ---


@dataclass
class Event:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    amount: Decimal | None = None
    url: str = ""
    tags: list[str] = field(default_factory=list)
    # What happened, in order (a message: queued → sent, or not sent and why).
    steps: list[Step] = field(default_factory=list)


# The file shows a couple's newest events: five years of greetings, calls and payments
# would make it longer with every year. Each source reads at most one row more than that
# (so the page knows there are earlier ones); `?timeline=all` shows everything.
TIMELINE_FIRST = 25


def _source(build: Callable[..., QuerySet[Any]], markers: list[Any]) -> dict[bool, Prepared]:
    """A timeline source, its SQL made once per process (studio.prepared: writing the
    queries cost more than running them), in two versions: its newest rows (`build` orders
    them newest first) and all of them."""
    return {
        True: Prepared(lambda *args: build(*args)[: TIMELINE_FIRST + 1], markers),
        False: Prepared(build, markers),
    }


_VISITS = _source(
    lambda customer_id: (
        Visit.objects.filter(customer_id=customer_id)
        .select_related("taker")
        .order_by("-arrived_at")
    ),
    [Marker.number(0)],
)
# The stages' rows of the couple's orders are found through the orders' customer, not a
# list of order ids: PostgreSQL then keeps one plan for each (with a list it planned them
# afresh at every call, guessing ten rows per id; docs/performance.md, "Stop 23").
_PAYMENTS = _source(
    lambda customer_id: LedgerEntry.objects.filter(order__customer_id=customer_id).order_by(
        "-created_at"
    ),
    [Marker.number(0)],
)
_SHOOTS = _source(
    lambda customer_id: Shoot.objects.filter(order__customer_id=customer_id).order_by("-starts_at"),
    [Marker.number(0)],
)
_SESSIONS = _source(
    lambda customer_id: SelectionSession.objects.filter(
        order__customer_id=customer_id, appointment_at__isnull=False
    ).order_by("-appointment_at"),
    [Marker.number(0)],
)
_RENTALS = _source(
    lambda customer_id: (
        DressReservation.objects.filter(customer_id=customer_id)
        .select_related("dress")
        .order_by("-pickup_on")
    ),
    [Marker.number(0)],
)
_PICKUPS = _source(
    lambda customer_id: PickupAppointment.objects.filter(order__customer_id=customer_id).order_by(
        "-starts_at"
    ),
    [Marker.number(0)],
)
_CALLS = _source(
    lambda customer_id: (
        CallTask.objects.filter(customer_id=customer_id)
        .select_related("assignee")
        .order_by("-due_at")
    ),
    [Marker.number(0)],
)
# A message's moment on the file: when it was sent, else when it may go.
_MESSAGES = _source(
    lambda customer_id: OutboxMessage.objects.filter(customer_id=customer_id).order_by(
        Coalesce("sent_at", "send_after").desc(), "-pk"
    ),
    [Marker.number(0)],
)
_COMPLAINTS = _source(
    lambda customer_id: (
        Complaint.objects.filter(customer_id=customer_id)
        .select_related("logged_by", "owner", "order")
        .order_by("-created_at")
    ),
    [Marker.number(0)],
)
_COMPENSATIONS = _source(  # their related rows read after them (selection.selectors)
    lambda customer_id: Compensation.objects.filter(customer_id=customer_id).order_by(
        "-proposed_at"
    ),
    [Marker.number(0)],
)
_REWARDS = _source(
    lambda customer_id: (
        ReferralReward.objects.filter(referrer_id=customer_id)
        .select_related("referred_order__customer")
        .order_by("-created_at")
    ),
    [Marker.number(0)],
)


# The file's other reads, each SQL made once per process.
# What most couples have none of: the file reads these only for the couples who have
# some (`has_*` on the couple, from the couple's own query). Nine couples in ten have no
# card, fapiao request, complaint, compensation or referral, half no consent record and no
# rental: the file then makes 12 queries where it made 19 (docs/performance.md, Stop 24).
_FILE_HAS: dict[str, Callable[[], QuerySet[Any]]] = {
    "has_rentals": lambda: DressReservation.objects.filter(customer_id=OuterRef("pk")),
    "has_complaints": lambda: Complaint.objects.filter(customer_id=OuterRef("pk")),
    "has_compensations": lambda: Compensation.objects.filter(customer_id=OuterRef("pk")),
    "has_rewards": lambda: ReferralReward.objects.filter(referrer_id=OuterRef("pk")),
    "has_card": lambda: StoredValueCard.objects.filter(customer_id=OuterRef("pk")),
    "has_fapiao_requests": lambda: FapiaoRequest.objects.filter(order__customer_id=OuterRef("pk")),
    "has_consent_records": lambda: ConsentEvent.objects.filter(customer_id=OuterRef("pk")),
    "has_recorded_changes": lambda: CustomerChange.objects.filter(customer_id=OuterRef("pk")),
}

_FILE_CUSTOMER = Prepared(
    # With, in the same query, their consultation in progress (its id), whether their
    # owner is away on the day (the page then reads the leave and its agent) and which of
    # the rarer records they have (`_FILE_HAS`).
    lambda pk, branch_ids, day: (
        Customer.objects.filter(pk=pk, branch_id__any=branch_ids)
        .select_related("owner", "referrer", "branch")
        .annotate(
            open_visit_id=Subquery(
                Visit.objects.filter(customer_id=OuterRef("pk"), closed_at__isnull=True)
                .order_by("pk")
                .values("pk")[:1]
            ),
            owner_away=Exists(
                Leave.objects.filter(
                    staff_id=OuterRef("owner_id"), starts_on__lte=day, ends_on__gte=day
                )
            ),
            **{name: Exists(rows()) for name, rows in _FILE_HAS.items()},
        )
    ),
    [Marker.number(0), Marker.numbers(1), Marker.day(0)],
)
_FILE_ORDERS = Prepared(
    lambda customer_id: with_money(
        Order.objects.filter(customer_id=customer_id).select_related("package")
    ),
    [Marker.number(0)],
)
_FILE_CARD = Prepared(
    lambda customer_id: StoredValueCard.objects.filter(customer_id=customer_id).order_by("pk")[:1],
    [Marker.number(0)],
)
_FILE_FAPIAO_REQUESTS = Prepared(
    lambda customer_id: (
        FapiaoRequest.objects.filter(order__customer_id=customer_id)
        .select_related("order")
        .order_by("-requested_at")
    ),
    [Marker.number(0)],
)


def file_customer(pk: int, branch_ids: Iterable[int], *, on: date) -> Customer | None:
    """The couple of a file, if they belong to one of `branch_ids` (the reader's), with
    `open_visit_id` (their consultation in progress, or None), `owner_away` (their
    owner is on leave on the day `on`) and the `has_*` of `_FILE_HAS`: the file's reads
    of those records are skipped for a couple without any. A record made after this
    query shows at the next view, as a timeline row of an order signed since does."""
    found: Customer | None = _FILE_CUSTOMER.first(pk, list(branch_ids), on)
    return found


def file_orders(customer: Customer) -> list[Order]:
    """The couple's orders with their package and money (`with_money`), newest first."""
    return _FILE_ORDERS(customer.pk)


def file_card(customer: Customer) -> StoredValueCard | None:
    if not may_have(customer, "card"):
        return None
    found: StoredValueCard | None = _FILE_CARD.first(customer.pk)
    return found


def file_fapiao_requests(customer: Customer) -> list[FapiaoRequest]:
    return _FILE_FAPIAO_REQUESTS(customer.pk) if may_have(customer, "fapiao_requests") else []


class Timeline(list[Event]):
    """The file's events, newest first; `earlier`: there are earlier ones than these (the
    file shows the newest)."""

    def __init__(self, events: list[Event], *, earlier: bool) -> None:
        super().__init__(events)
        self.earlier = earlier


def customer_timeline(
    customer: Customer,
    *,
    sees_money: bool,
    opens_visits: bool = True,
    orders: list[Order] | None = None,
    sees_messages: bool = False,
    settles_compensation: bool = False,
    newest: bool = True,
) -> Timeline:
    """Visits, orders, payments, shoots, selections, rentals, pickups, calls and messages:
    one list, newest first. The recipient's address is never shown: every role opens the
    file. Each source is one query; later stages (complaints) add a source here. Links go
    only to pages the viewer may open (`opens_visits`: the consultation page). `orders`:
    the couple's orders with their packages, when the caller has them already.
    `sees_messages`: the messages and their history (queued → sent, or not sent and why),
    for the roles that may read them (`roles.SEES_MESSAGES`). `settles_compensation`:
    complaints and delay apologies link to their compensation page (customer service and
    the manager); what was given shows to those who see money. `newest`: the newest
    `TIMELINE_FIRST` events (and whether there are earlier ones), else all of them.
    """

    events: list[Event] = []
    # Labels of choices looked up in maps made once per language: get_FOO_display()
    # rebuilds and translates the field's whole choice list at each of ~100 calls a file.
    visit_model = customer.visits.model
    visit_kind = choice_labels(visit_model, "kind")
    visit_outcome = choice_labels(visit_model, "outcome")
    for v in _VISITS[newest](customer.pk):
        detail = visit_outcome.get(v.outcome, v.outcome) or _("In consultation")
        if v.not_booked_reason:
            detail += f" — {v.not_booked_reason}"
        events.append(
            Event(
                v.arrived_at,
                "visit",
                _("Visit (%(kind)s) with %(taker)s")
                % {"kind": visit_kind.get(v.kind, v.kind), "taker": v.taker},
                detail,
                url=reverse("studio:visit", args=[v.pk]) if opens_visits else "",
            )
        )
    if orders is None:
        orders = list(Order.objects.filter(customer=customer).select_related("package"))
    numbers = {o.pk: o.number for o in orders}
    state_label = choice_labels(Order, "state")
    for o in orders:
        events.append(
            Event(
                o.signed_at,
                "order",
                _("Order %(number)s signed: %(package)s")
                % {"number": o.number, "package": o.package},
                state_label.get(o.state, o.state),
                amount=o.agreed_price if sees_money else None,
                url=o.get_absolute_url() if sees_money else "",
            )
        )
    if sees_money:
        entry_kind = choice_labels(LedgerEntry, "kind")
        entry_method = choice_labels(LedgerEntry, "method")
        for e in _PAYMENTS[newest](customer.pk):
            if e.order_id not in numbers:  # an order signed since the orders were read
                continue
            number = numbers[e.order_id]
            events.append(
                Event(
                    e.created_at,
                    "payment",
                    _("%(kind)s, %(method)s, receipt %(receipt)s")
                    % {
                        "kind": entry_kind.get(e.kind, e.kind),
                        "method": entry_method.get(e.method, e.method),
                        "receipt": e.receipt_no,
                    },
                    number,
                    amount=e.amount,
                    url=reverse("orders:receipt", args=[number, e.receipt_no]),
                )
            )
    shoot_status = choice_labels(Shoot, "status")
    for s in _SHOOTS[newest](customer.pk):
        if s.order_id not in numbers:
            continue
        events.append(
            Event(
                s.starts_at,
                "shoot",
                _("Shoot for %(number)s") % {"number": numbers[s.order_id]},
                shoot_status.get(s.status, s.status),
            )
        )
    for session in _SESSIONS[newest](customer.pk):
        if session.order_id not in numbers:
            continue
        events.append(
            Event(
                cast(datetime, session.appointment_at),  # not null, filtered above
                "selection",
                _("Selection for %(number)s") % {"number": numbers[session.order_id]},
            )
        )
    dress_status = choice_labels(DressReservation, "status")
    for r in _RENTALS[newest](customer.pk) if may_have(customer, "rentals") else []:
        events.append(
            Event(
                datetime.combine(r.pickup_on, datetime.min.time(), customer.branch.tzinfo),
                "rental",
                _("Dress %(code)s rented %(from)s–%(to)s")
                % {
                    "code": r.dress.code,
                    "from": date_format(r.pickup_on, "SHORT_DATE_FORMAT"),
                    "to": date_format(r.return_on, "SHORT_DATE_FORMAT"),
                },
                dress_status.get(r.status, r.status),
                amount=r.rental_price if sees_money else None,
                url=r.get_absolute_url() if sees_money else "",
            )
        )
    pickup_status = choice_labels(PickupAppointment, "status")
    for p in _PICKUPS[newest](customer.pk):
        if p.order_id not in numbers:
            continue
        events.append(
            Event(
                p.starts_at,
                "pickup",
                _("Pickup for %(number)s, slip %(slip)s")
                % {"number": numbers[p.order_id], "slip": p.slip_number},
                pickup_status.get(p.status, p.status),
            )
        )
    call_kind = choice_labels(CallTask, "kind")
    call_status = choice_labels(CallTask, "status")
    delay = CallTask.Kind.DELAY_APOLOGY
    for t in _CALLS[newest](customer.pk):
        events.append(
            Event(
                t.due_at,
                "call",
                _("Call: %(kind)s (%(who)s)")
                % {"kind": call_kind.get(t.kind, t.kind), "who": t.assignee},
                " — ".join(x for x in (call_status.get(t.status, t.status), t.outcome_text) if x),
                url=reverse("selection:delay_compensation", args=[t.pk])
                if settles_compensation and t.kind == delay
                else "",
            )
        )
    sent = _MESSAGES[newest](customer.pk) if sees_messages else []
    if sent:
        message_status = choice_labels(type(sent[0]), "status")
        skip_reason = choice_labels(type(sent[0]), "skip_reason")
        channel = choice_labels(type(sent[0]), "channel")
    for m in sent:
        status = message_status.get(m.status, m.status)
        if m.skip_reason:
            status += f" — {skip_reason.get(m.skip_reason, m.skip_reason)}"
        events.append(
            Event(
                m.sent_at or m.send_after,
                "message",
                _("Message (%(channel)s): %(status)s")
                % {"channel": channel.get(m.channel, m.channel), "status": status},
                m.body,
                steps=message_steps(m),
            )
        )
    for c in _COMPLAINTS[newest](customer.pk) if may_have(customer, "complaints") else []:
        detail = c.text
        if c.resolved_at:
            detail += " — " + _("Resolved: %(resolution)s") % {"resolution": c.resolution}
        events.append(
            Event(
                c.created_at,
                "complaint",
                _("Complaint logged by %(who)s, owner %(owner)s")
                % {"who": c.logged_by, "owner": c.owner},
                detail,
                url=reverse("selection:complaint_compensation", args=[c.pk])
                if settles_compensation
                else "",
            )
        )
    compensations = (
        _COMPENSATIONS[newest](customer.pk)
        if sees_money and may_have(customer, "compensations")
        else []
    )
    for comp in selection_selectors.with_related(compensations):
        detail = comp.get_status_display()
        if comp.decided_by:
            detail += " — " + _("decided by %(who)s") % {"who": comp.decided_by}
        if comp.rejection_reason:
            detail += f" — {comp.rejection_reason}"
        events.append(
            Event(
                comp.proposed_at,
                "compensation",
                _("Compensation (%(for)s) proposed by %(who)s: %(what)s")
                % {"for": comp.settles, "who": comp.proposed_by, "what": comp.what},
                detail,
                url=comp.get_absolute_url() if settles_compensation else "",
            )
        )
        for use in comp.uses.all():
            words = (
                _("Voucher %(code)s given back to order %(number)s by %(who)s")
                if use.is_reversal
                else _("Voucher %(code)s taken off order %(number)s by %(who)s")
            )
            events.append(
                Event(
                    use.created_at,
                    "voucher",
                    words
                    % {"code": comp.voucher_code, "number": use.order.number, "who": use.staff},
                    use.note,
                    amount=use.amount,
                    url=use.order.get_absolute_url(),
                )
            )
    for reward in _REWARDS[newest](customer.pk) if may_have(customer, "rewards") else []:
        detail = reward.reward
        if reward.upgraded:
            upgrade = _("Membership upgraded to %(level)s") % {
                "level": reward.get_level_after_display()
            }
            detail = " — ".join(x for x in (detail, upgrade) if x)
        events.append(
            Event(
                reward.created_at,
                "referral",
                _("Referred %(couple)s: order %(number)s signed")
                % {
                    "couple": reward.referred_order.customer,
                    "number": reward.referred_order.number,
                },
                detail,
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    if newest and len(events) > TIMELINE_FIRST:
        return Timeline(events[:TIMELINE_FIRST], earlier=True)
    return Timeline(events, earlier=False)


# --- Today (the front-desk home page) ---


@dataclass
class Arrival:
    at: datetime
    kind: str
    customer: Customer
    owner: Staff | None
    needs: list[str]
    # The customer's file (made once per page, not by a {% url %} per row).
    customer_url: str = ""
    # Dress pickups and returns are booked by the day, not the hour.
    all_day: bool = False


_SHOOTS_BETWEEN = Prepared(
    lambda branch_id, start, end: (
        Shoot.objects.filter(
            branch_id=branch_id, starts_at__gte=unseen(start), starts_at__lt=unseen(end)
        )
        .exclude(status__in=[Shoot.Status.CANCELLED, Shoot.Status.MOVED])
        .order_by()
        .values_list("order_id", "starts_at")
    ),
    [Marker.number(0), Marker.moment(0), Marker.moment(1)],
)
_SESSIONS_BETWEEN = Prepared(
    lambda branch_id, start, end: (
        SelectionSession.objects.filter(
            order__branch_id=branch_id, appointment_at__gte=start, appointment_at__lt=end
        )
        .order_by()
        .values_list("order_id", "appointment_at")
    ),
    [Marker.number(0), Marker.moment(0), Marker.moment(1)],
)
_ARRIVING_ORDERS = Prepared(
    lambda ids: (
        with_money(Order.objects.filter(pk__any=ids))
        .select_related("customer", "owner")
        .only(
            "customer_id",
            "owner_id",
            "agreed_price",
            "state",  # django-fsm reads it when the order is built
            "customer__bride_name",
            "customer__groom_name",
            "customer__bride_phone",
            "customer__groom_phone",
            "owner__display_name",
        )
        .order_by()
    ),
    [Marker.numbers(0)],
)


def _arrivals(request: StaffRequest, today: date) -> tuple[list["Arrival"], list["Arrival"]]:
    """Today's and tomorrow's shoots, selections, pickups and dress pickups / returns, with
    what each couple must bring or settle; today's list adds the dresses that should be
    back already. Both days in one query per kind (five queries in all)."""

    branch = request.branch
    tomorrow = today + timedelta(days=1)
    start, _end = branch.day_bounds(today)
    end = start + timedelta(days=2)
    sees_money = request.staff.sees_money

    def day_of(at: datetime) -> date:
        return timezone.localtime(at, branch.tzinfo).date()

    # (order, time) pairs, not models: the page needs no more of a shoot or a session.
    # Each query's SQL is made once per process (studio.prepared): writing it cost more
    # than running it.
    shoots = _SHOOTS_BETWEEN(branch.pk, start, end)
    sessions = _SESSIONS_BETWEEN(branch.pk, start, end)
    pickups = pickup_selectors.arrivals_between(branch.pk, start, end)
    Status = DressReservation.Status
    rentals = rentals_selectors.desk_between(branch.pk, today, tomorrow)
    order_ids = {o for o, _at in shoots} | {o for o, _at in sessions}
    order_ids |= {o for o, _at, _slip in pickups} | {r.order_id for r in rentals}
    # The couple's names and phones and the owner's name: what a row prints.
    orders = {o.pk: o for o in _ARRIVING_ORDERS(sorted(order_ids))} if order_ids else {}
    days: dict[date, list[Arrival]] = {today: [], tomorrow: []}

    customer_url = link_to("overview:customer")

    def add(on: date, at: datetime, kind: str, order_id: int, needs: list[str], **kw: Any) -> None:
        o = orders[order_id]
        url = customer_url(o.customer_id)
        days[on].append(Arrival(at, kind, o.customer, o.owner, needs, url, **kw))

    def balance_due(order_id: int, text: str) -> list[str]:
        balance = orders[order_id].balance
        return [text % {"amount": money(balance)}] if sees_money and balance > 0 else []

    for order_id, at in shoots:
        needs = balance_due(order_id, _("Balance due: come 20 minutes early to pay %(amount)s"))
        add(day_of(at), at, _("Shoot"), order_id, needs)
    for order_id, when in sessions:
        at = cast(datetime, when)  # in the two days, filtered above
        add(day_of(at), at, _("Selection"), order_id, [])
    for order_id, at, slip in pickups:
        needs = [_("Bring the pickup slip %(slip)s") % {"slip": slip}]
        needs += balance_due(order_id, _("Balance due before pickup: %(amount)s"))
        add(day_of(at), at, _("Pickup"), order_id, needs)
    for r in rentals:
        if r.status == Status.RESERVED:
            on = r.pickup_on
            kind = _("Dress pickup %(code)s") % {"code": r.dress.code}
            needs = [_("ID document to hold")]
            if sees_money and r.deposit_amount > 0:
                needs.append(_("Deposit to take: %(amount)s") % {"amount": money(r.deposit_amount)})
        else:
            # Due back tomorrow: on tomorrow's list; due today or before: on today's.
            on = tomorrow if r.return_on == tomorrow else today
            kind = _("Dress return %(code)s") % {"code": r.dress.code}
            needs = []
            if r.return_on < today:
                needs.append(
                    _("Overdue since %(day)s")
                    % {"day": date_format(r.return_on, "SHORT_DATE_FORMAT")}
                )
            if sees_money and r.deposit_amount > 0:
                needs.append(
                    _("Deposit to refund: %(amount)s") % {"amount": money(r.deposit_amount)}
                )
        at, _next = branch.day_bounds(on)
        add(on, at, kind, r.order_id, needs, all_day=True)
    for items in days.values():
        items.sort(key=lambda a: (not a.all_day, a.at))
    return days[today], days[tomorrow]


def today(request: StaffRequest) -> dict[str, Any]:
    """Today's arrivals, my open tasks, tomorrow's list to confirm by phone."""

    day = request.branch.today()
    if request.staff.works_in_the_field_only:
        # Field staff: their shoots and the couples' notes; no calls, phones or files.

        dresses: list[Any] = []
        if request.staff.has_role(roles.DRESS_STYLIST):
            dresses = list(
                desk_on(branch=request.branch, day=day, overdue=True).select_related("customer")
            )
        return {
            "my_shoots": my_day(staff=request.staff, branch=request.branch),
            "dresses_today": dresses,
        }
    arrivals, tomorrow = _arrivals(request, day)
    covering = covering_for(request.staff, on=day)
    # The first 20 as a line each: when, what, whose couple. (The task list reads the rest:
    # the visit, the packages shown and the order its scripts need.)
    tasks = first_open_tasks(request.staff, branch_ids=request.staff.branch_ids, covering=covering)
    kinds, customer_url = labels(CallTask.Kind), link_to("overview:customer")
    assignees = {leave.staff_id: leave.staff for leave in covering}
    for task in tasks:
        task.kind_label = kinds.get(task.kind, task.kind)  # type: ignore[attr-defined]
        task.customer_url = customer_url(task.customer_id)  # type: ignore[attr-defined]
        # Someone else's call: whose (a colleague I cover for), else None.
        task.for_whom = assignees.get(task.assignee_id)  # type: ignore[attr-defined]
    return {
        "arrivals": arrivals,
        "tomorrow": tomorrow,
        "my_tasks": tasks,
        "open_visits": open_visits(request.branch),
        "covering": covering,
        "approvals": pending_approvals(request),
        "now": timezone.now(),
    }


# --- A customer's data, gathered from every stage, for their export (PIPL) ---


def customer_export(customer: Customer) -> list[DataSection]:
    """Everything the studio holds about a couple, each stage describing its own rows
    (their `customer_data` selectors): one query per kind of record."""
    return [
        *studio_selectors.customer_data(customer),
        *orders_selectors.customer_data(customer),
        *shoots_selectors.customer_data(customer),
        *selection_selectors.customer_data(customer),
        *pickup_selectors.customer_data(customer),
        *rentals_selectors.customer_data(customer),
        *followups_selectors.customer_data(customer),
    ]


def export_json(customer: Customer, sections: list[DataSection]) -> str:
    """The export as JSON: a section per kind of record, rows as stored (codes, ISO
    dates and times, amounts as strings)."""
    data = {
        "exported_at": timezone.now(),
        "customer_id": customer.pk,
        **{section.key: section.rows for section in sections},
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
