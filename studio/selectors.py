"""Reads the front-desk pages share: the customer search, the customer file, today's list."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db.models import Field, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import roles
from .middleware import StaffRequest
from .models import (
    Branch,
    Customer,
    CustomerChange,
    DiscountApproval,
    Leave,
    Package,
    Rota,
    Staff,
    Visit,
)
from .templatetags.studio import money
from .validators import phone_search_prefix

SEARCH_LIMIT = 10
# Trigram indexes need three characters; shorter names (a surname, 李娜) match from the start.
SHORTEST_ANYWHERE = 3


def search_customers(
    queryset: QuerySet[Customer], q: str | None, *, limit: int = SEARCH_LIMIT
) -> QuerySet[Customer]:
    """Couples by phone prefix (either phone) or by name: from the start for one or two
    characters, anywhere for three or more.

    Served by indexes (migrations 0004-0005): varchar_pattern_ops on the phones and
    text_pattern_ops on UPPER(name) for prefixes, pg_trgm GIN on UPPER(name) for the rest.
    `bench_search` times this very function.
    """
    q = (q or "").strip()
    digits = phone_search_prefix(q)
    if digits:
        q = digits
    if not q:
        return queryset.none()
    if digits:
        if len(q) < 3:
            return queryset.none()
        found = queryset.filter(Q(bride_phone__startswith=q) | Q(groom_phone__startswith=q))
    elif len(q) < SHORTEST_ANYWHERE:
        found = queryset.filter(Q(bride_name__istartswith=q) | Q(groom_name__istartswith=q))
    else:
        found = queryset.filter(Q(bride_name__icontains=q) | Q(groom_name__icontains=q))
    return found.select_related("owner").order_by("-created_at")[:limit]


def rota_for(branch: Branch, day: date) -> Rota | None:
    return Rota.objects.filter(branch=branch, day=day).prefetch_related("slots__staff").first()


def open_visits(branch: Branch) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(branch=branch, closed_at__isnull=True)
        .select_related("customer", "taker")
        .order_by("arrived_at")
    )


def covering_for(staff: Staff, *, on: date) -> list[Leave]:
    """The leaves during which `staff` is the agent on date `on` (whose work they carry)."""
    return list(
        Leave.objects.filter(agent=staff, starts_on__lte=on, ends_on__gte=on).select_related(
            "staff"
        )
    )


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


def customer_timeline(
    customer: Customer, *, sees_money: bool, opens_visits: bool = True
) -> list[Event]:
    """Visits, orders, payments, shoots, selections, rentals, pickups, calls and messages:
    one list, newest first. The recipient's address is never shown: every role opens the
    file. Each source is one query; later stages (complaints) add a source here. Links go
    only to pages the viewer may open (`opens_visits`: the consultation page).
    """
    from followups.models import CallTask
    from followups.selectors import complaints_for, messages_for
    from orders.models import LedgerEntry, Order
    from pickup.models import PickupAppointment
    from rentals.models import DressReservation
    from selection.models import SelectionSession
    from shoots.models import Shoot

    events: list[Event] = []
    for v in customer.visits.select_related("taker").prefetch_related("packages_shown"):
        detail = v.get_outcome_display() or _("In consultation")
        if v.not_booked_reason:
            detail += f" — {v.not_booked_reason}"
        events.append(
            Event(
                v.arrived_at,
                "visit",
                _("Visit (%(kind)s) with %(taker)s")
                % {"kind": v.get_kind_display(), "taker": v.taker},
                detail,
                url=reverse("studio:visit", args=[v.pk]) if opens_visits else "",
            )
        )
    orders = list(Order.objects.filter(customer=customer).select_related("package"))
    for o in orders:
        events.append(
            Event(
                o.signed_at,
                "order",
                _("Order %(number)s signed: %(package)s")
                % {"number": o.number, "package": o.package},
                o.get_state_display(),
                amount=o.agreed_price if sees_money else None,
                url=o.get_absolute_url() if sees_money else "",
            )
        )
    if sees_money:
        for e in LedgerEntry.objects.filter(order__customer=customer).select_related("order"):
            events.append(
                Event(
                    e.created_at,
                    "payment",
                    _("%(kind)s, %(method)s, receipt %(receipt)s")
                    % {
                        "kind": e.get_kind_display(),
                        "method": e.get_method_display(),
                        "receipt": e.receipt_no,
                    },
                    e.order.number,
                    amount=e.amount,
                    url=reverse("orders:receipt", args=[e.order.number, e.receipt_no]),
                )
            )
    for s in Shoot.objects.filter(order__customer=customer).select_related("order"):
        events.append(
            Event(
                s.starts_at,
                "shoot",
                _("Shoot for %(number)s") % {"number": s.order.number},
                s.get_status_display(),
            )
        )
    for session in SelectionSession.objects.filter(
        order__customer=customer, appointment_at__isnull=False
    ).select_related("order"):
        events.append(
            Event(
                cast(datetime, session.appointment_at),  # not null, filtered above
                "selection",
                _("Selection for %(number)s") % {"number": session.order.number},
            )
        )
    for r in DressReservation.objects.filter(customer=customer).select_related("dress"):
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
                r.get_status_display(),
                amount=r.rental_price if sees_money else None,
                url=r.get_absolute_url() if sees_money else "",
            )
        )
    for p in PickupAppointment.objects.filter(order__customer=customer).select_related("order"):
        events.append(
            Event(
                p.starts_at,
                "pickup",
                _("Pickup for %(number)s, slip %(slip)s")
                % {"number": p.order.number, "slip": p.slip_number},
                p.get_status_display(),
            )
        )
    for t in CallTask.objects.filter(customer=customer).select_related("assignee"):
        events.append(
            Event(
                t.due_at,
                "call",
                _("Call: %(kind)s (%(who)s)") % {"kind": t.get_kind_display(), "who": t.assignee},
                " — ".join(x for x in (t.get_status_display(), t.outcome_text) if x),
            )
        )
    for m in messages_for(customer):
        status = m.get_status_display()
        if m.skip_reason:
            status += f" — {m.get_skip_reason_display()}"
        events.append(
            Event(
                m.sent_at or m.send_after,
                "message",
                _("Message (%(channel)s): %(status)s")
                % {"channel": m.get_channel_display(), "status": status},
                m.body,
            )
        )
    for c in complaints_for(customer):
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
            )
        )
    for reward in customer.referral_rewards.select_related("referred_order__customer"):
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
    return events


# --- Today (the front-desk home page) ---


@dataclass
class Arrival:
    at: datetime
    kind: str
    customer: Customer
    owner: Staff | None
    needs: list[str]
    url: str = ""
    # Dress pickups and returns are booked by the day, not the hour.
    all_day: bool = False


def _arrivals_on(request: StaffRequest, day: date, *, overdue: bool = False) -> list["Arrival"]:
    """Shoots, selections, pickups and dress pickups / returns on `day`, with what each
    couple must bring or settle. `overdue` adds dresses that should be back already."""
    from orders.selectors import with_money
    from pickup.selectors import on_day as pickups_on
    from rentals.selectors import desk_on
    from selection.models import SelectionSession
    from shoots.models import Shoot

    branch = request.branch
    tz = branch.tzinfo
    start = datetime.combine(day, datetime.min.time(), tz)
    end = start + timedelta(days=1)
    sees_money = request.staff.sees_money
    items: list[Arrival] = []
    shoots = list(
        Shoot.objects.filter(branch=branch, starts_at__gte=start, starts_at__lt=end).exclude(
            status__in=[Shoot.Status.CANCELLED, Shoot.Status.MOVED]
        )
    )
    sessions = list(
        SelectionSession.objects.filter(
            order__branch=branch, appointment_at__gte=start, appointment_at__lt=end
        )
    )
    order_ids = {s.order_id for s in shoots} | {s.order_id for s in sessions}
    pickups = list(pickups_on(branch=branch, day=day))
    rentals = list(desk_on(branch=branch, day=day, overdue=overdue))
    order_ids |= {p.order_id for p in pickups} | {r.order_id for r in rentals}
    from orders.models import Order

    orders = {
        o.pk: o
        for o in with_money(Order.objects.filter(pk__in=order_ids)).select_related(
            "customer", "owner", "customer__owner"
        )
    }
    for s in shoots:
        o = orders[s.order_id]
        needs: list[str] = []
        if sees_money and o.balance > 0:
            needs.append(
                _("Balance due: come 20 minutes early to pay %(amount)s")
                % {"amount": money(o.balance)}
            )
        items.append(
            Arrival(
                s.starts_at,
                _("Shoot"),
                o.customer,
                o.owner,
                needs,
                o.get_absolute_url() if sees_money else "",
            )
        )
    for session in sessions:
        o = orders[session.order_id]
        items.append(
            Arrival(
                cast(datetime, session.appointment_at),  # in the day, filtered above
                _("Selection"),
                o.customer,
                o.owner,
                [],
                o.get_absolute_url() if sees_money else "",
            )
        )
    for p in pickups:
        o = orders[p.order_id]
        needs = [_("Bring the pickup slip %(slip)s") % {"slip": p.slip_number}]
        if sees_money and o.balance > 0:
            needs.append(_("Balance due before pickup: %(amount)s") % {"amount": money(o.balance)})
        items.append(
            Arrival(
                p.starts_at,
                _("Pickup"),
                o.customer,
                o.owner,
                needs,
                o.get_absolute_url() if sees_money else "",
            )
        )
    start_of_day = datetime.combine(day, datetime.min.time(), tz)
    for r in rentals:
        o = orders[r.order_id]
        if r.status == r.Status.RESERVED:
            kind = _("Dress pickup %(code)s") % {"code": r.dress.code}
            needs = [_("ID document to hold")]
            if sees_money and r.deposit_amount > 0:
                needs.append(_("Deposit to take: %(amount)s") % {"amount": money(r.deposit_amount)})
        else:
            kind = _("Dress return %(code)s") % {"code": r.dress.code}
            needs = []
            if r.return_on < day:
                needs.append(
                    _("Overdue since %(day)s")
                    % {"day": date_format(r.return_on, "SHORT_DATE_FORMAT")}
                )
            if sees_money and r.deposit_amount > 0:
                needs.append(
                    _("Deposit to refund: %(amount)s") % {"amount": money(r.deposit_amount)}
                )
        items.append(
            Arrival(
                start_of_day,
                kind,
                o.customer,
                o.owner,
                needs,
                r.get_absolute_url(),
                all_day=True,
            )
        )
    items.sort(key=lambda a: (not a.all_day, a.at))
    return items


def today(request: StaffRequest) -> dict[str, Any]:
    """Today's arrivals, my open tasks, tomorrow's list to confirm by phone."""
    from followups.selectors import open_tasks_for

    day = request.branch.today()
    if request.staff.works_in_the_field_only:
        # Field staff: their shoots and the couples' notes; no calls, phones or files.
        from rentals.selectors import desk_on
        from shoots.selectors import my_day

        dresses: list[Any] = []
        if request.staff.has_role(roles.DRESS_STYLIST):
            dresses = list(
                desk_on(branch=request.branch, day=day, overdue=True).select_related("customer")
            )
        return {
            "my_shoots": my_day(staff=request.staff, branch=request.branch),
            "dresses_today": dresses,
        }
    return {
        "arrivals": _arrivals_on(request, day, overdue=True),
        "tomorrow": _arrivals_on(request, day + timedelta(days=1)),
        "my_tasks": open_tasks_for(request.staff, branch_ids=request.staff.branch_ids)[:20],
        "open_visits": open_visits(request.branch),
        "covering": covering_for(request.staff, on=day),
        "approvals": pending_approvals(request),
        "now": timezone.now(),
    }


def approving_manager(
    *, approval_id: int | str | None, customer: Customer, package: Package, discount: Decimal
) -> Staff | None:
    """The manager who approved this discount (or more) for this couple and package."""
    from .models import DiscountApproval

    if not approval_id:
        return None
    found = (
        DiscountApproval.objects.filter(
            pk=approval_id,
            customer=customer,
            package=package,
            discount__gte=discount,
            status=DiscountApproval.Status.APPROVED,
        )
        .select_related("decided_by")
        .first()
    )
    return found.decided_by if found else None


def pending_approvals(request: StaffRequest) -> list[DiscountApproval]:
    from .models import DiscountApproval

    if not request.staff.is_manager:
        return []
    return list(
        DiscountApproval.objects.filter(
            branch__in=request.staff.branch_ids, status=DiscountApproval.Status.PENDING
        ).select_related("customer", "package", "requested_by")
    )


@dataclass
class FileChange:
    at: datetime
    by: object
    field: str
    old: str
    new: str


def _shown(field: "Field[Any, Any]", value: Any) -> str:
    """A value of the customer's file as the reader reads it, in their language."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "isoformat"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def customer_changes(customer: Customer, *, limit: int = 50) -> list[FileChange]:
    """Who changed what on a couple's file, newest first: the customer's history
    (django-simple-history, written by the file's edit page and the admin alike), and the
    changes recorded before it (`CustomerChange`, kept as written). Two queries."""
    records = list(
        customer.history.select_related("history_user__staff").order_by(
            "-history_date", "-history_id"
        )[: limit + 1]
    )
    changes: list[FileChange] = []
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older, foreign_keys_are_objs=True)
        who = getattr(newer.history_user, "staff", None) or newer.history_user
        for change in delta.changes:
            field: Any = Customer._meta.get_field(change.field)
            changes.append(
                FileChange(
                    newer.history_date,
                    who or "—",
                    str(field.verbose_name),
                    _shown(field, change.old),
                    _shown(field, change.new),
                )
            )
    for row in CustomerChange.objects.filter(customer=customer).select_related("staff")[:limit]:
        try:
            found: Any = Customer._meta.get_field(row.field)
            label = str(found.verbose_name)
        except Exception:  # noqa: BLE001 - a field renamed since
            label = row.field
        changes.append(FileChange(row.at, row.staff, label, row.old or "—", row.new or "—"))
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:limit]
