"""Managers' reports (DOMAIN.md, "Managers"): a branch's day or month in figures.

Each function reads one family of figures with aggregate queries (one query per family,
whatever the amount of data), so the page's query count stays fixed as the studio grows.
Days and months are the branch's own, in its time zone.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Avg, Count, DateField, DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils.translation import gettext_lazy as _

from commissions import selectors as commissions
from followups.models import Complaint
from orders.models import CardEntry, FapiaoRequest, LedgerEntry, Order
from pickup.models import PickupAppointment
from selection.models import ProductionItem, SelectionSession
from shoots.models import Shoot
from studio.models import Customer, MonthlyTarget, Staff, Visit

ZERO = Decimal("0.00")
DAY, MONTH = "day", "month"


@dataclass(frozen=True)
class Period:
    """A day or a calendar month, read in a branch's time zone."""

    kind: str
    first: datetime.date

    @classmethod
    def month_of(cls, day):
        return cls(MONTH, day.replace(day=1))

    @property
    def end(self):
        """The first day after the period."""
        if self.kind == DAY:
            return self.first + datetime.timedelta(days=1)
        days = calendar.monthrange(self.first.year, self.first.month)[1]
        return self.first + datetime.timedelta(days=days)

    @property
    def month(self):
        return Period.month_of(self.first)

    def bounds(self, branch):
        tz = branch.tzinfo
        start = datetime.datetime.combine(self.first, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end, datetime.time.min, tzinfo=tz)
        return start, end

    def within(self, branch, field):
        start, end = self.bounds(branch)
        return {f"{field}__gte": start, f"{field}__lt": end}


def percent(part, whole):
    """A share in whole percent, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(Decimal(part) * 100 / Decimal(whole), 1)


BOOKED = (Visit.Outcome.BOOKED, Visit.Outcome.SHOOTING_TODAY)


def funnel(branch, period):
    """Visits → booked (conversion), and the deals (orders) signed in the period."""
    visits = Visit.objects.filter(branch=branch, **period.within(branch, "arrived_at")).aggregate(
        visits=Count("pk"),
        booked=Count("pk", filter=Q(outcome__in=BOOKED)),
        shooting_today=Count("pk", filter=Q(outcome=Visit.Outcome.SHOOTING_TODAY)),
        not_booked=Count("pk", filter=Q(outcome=Visit.Outcome.NOT_BOOKED)),
        open=Count("pk", filter=Q(outcome="")),
    )
    visits["conversion"] = percent(visits["booked"], visits["visits"])
    orders = Order.objects.filter(branch=branch, **period.within(branch, "signed_at"))
    visits.update(
        orders.aggregate(
            deals=Count("pk"),
            deals_value=Coalesce(Sum("agreed_price"), ZERO, output_field=_money()),
        )
    )
    return visits


# Revenue lines: (label, the ledger kinds that make them). Holds are never revenue.
def _revenue_lines():
    kind = LedgerEntry.Kind
    return [
        ("package", _("Package (deposits and balances)"), (kind.DEPOSIT, kind.BALANCE)),
        ("selection_upsell", _("Selection upsell"), (kind.SELECTION_UPSELL,)),
        ("pickup_upsell", _("Pickup upsell"), (kind.PICKUP_UPSELL,)),
        ("rental", _("Dress rentals"), (kind.RENTAL_FEE,)),
        ("kept_deposits", _("Kept deposits"), (kind.FORFEITED_HOLD,)),
        ("refunds", _("Refunds"), (kind.REFUND,)),
    ]


def money(branch, period):
    """Deposits taken and revenue split by kind; refunds are negative, holds left out."""
    rows = (
        LedgerEntry.objects.filter(branch=branch, **period.within(branch, "created_at"))
        .exclude(kind__in=LedgerEntry.NOT_REVENUE)
        .values("kind")
        .annotate(total=Sum("amount"), taken=Count("pk", filter=Q(amount__gt=0)))
        .order_by()
    )
    by_kind = {row["kind"]: row for row in rows}
    lines = []
    for key, label, kinds in _revenue_lines():
        amount = sum((by_kind[k]["total"] for k in kinds if k in by_kind), ZERO)
        lines.append({"key": key, "label": label, "amount": amount})
    deposit = by_kind.get(LedgerEntry.Kind.DEPOSIT, {})
    return {
        "deposits": deposit.get("taken", 0),
        "deposits_amount": deposit.get("total") or ZERO,
        "revenue": lines,
        "revenue_total": sum((line["amount"] for line in lines), ZERO),
        **cards(branch, period),
    }


def cards(branch, period):
    """Stored-value cards: money topped up in the period, and the customers' money still on
    the cards at its end. Both are owed to the customers (a liability), never revenue: a
    card becomes revenue when it pays an order, as that order's payment."""
    start, end = period.bounds(branch)
    entries = CardEntry.objects.filter(branch=branch, created_at__lt=end).order_by()
    figures = entries.aggregate(
        top_ups=Coalesce(
            Sum(
                "real",
                filter=Q(kind=CardEntry.Kind.TOP_UP, created_at__gte=start),
            ),
            ZERO,
            output_field=_money(),
        ),
        outstanding=Coalesce(Sum("real"), ZERO, output_field=_money()),
    )
    return {"card_top_ups": figures["top_ups"], "cards_outstanding": figures["outstanding"]}


def _money():
    return DecimalField(max_digits=14, decimal_places=2)


def _deals_by_owner(branch, start, end):
    return dict(
        Order.objects.filter(branch=branch, signed_at__gte=start, signed_at__lt=end)
        .order_by()
        .values_list("owner")
        .annotate(n=Count("pk"))
    )


def _revenue_by_staff(branch, start, end):
    return dict(
        LedgerEntry.objects.filter(branch=branch, created_at__gte=start, created_at__lt=end)
        .exclude(kind__in=LedgerEntry.NOT_REVENUE)
        .order_by()
        .values_list("staff")
        .annotate(s=Sum("amount"))
    )


def per_staff(branch, period):
    """Per staff member: visits taken, booked, deals owned, conversion, revenue they took,
    commission earned (a month: its statement, carried-over credits included; a day: what
    was earned that day).

    Each table is grouped once by the person (the period's rows, found by the branch and
    time indexes), and only the people who appear are read: the cost follows the period's
    activity, not the size of the chain's staff list.
    """
    start, end = period.bounds(branch)
    visits = {
        taker: (taken, booked)
        for taker, taken, booked in Visit.objects.filter(
            branch=branch, arrived_at__gte=start, arrived_at__lt=end
        )
        .order_by()
        .values_list("taker")
        .annotate(n=Count("pk"), booked=Count("pk", filter=Q(outcome__in=BOOKED)))
    }
    deals = _deals_by_owner(branch, start, end)
    revenue = _revenue_by_staff(branch, start, end)
    if period.kind == MONTH:
        earned = commissions.earned_by_staff(branch, month=period.first)
    else:
        earned = commissions.earned_by_staff(branch, between=(start, end))
    present = set(visits) | set(deals) | {pk for pk, amount in revenue.items() if amount}
    present |= {pk for pk, amount in earned.items() if amount}
    rows = list(Staff.objects.filter(pk__in=present).order_by("display_name", "pk"))
    for row in rows:
        row.visits_taken, row.booked = visits.get(row.pk, (0, 0))
        row.deals = deals.get(row.pk, 0)
        row.revenue = revenue.get(row.pk, ZERO)
        row.commission = earned.get(row.pk, ZERO)
        row.conversion = percent(row.booked, row.visits_taken)
    return rows


def operations(branch, period):
    """Shoots and selections done, production on time, pickups, complaints, satisfaction."""
    figures = {
        "shoots": Shoot.objects.filter(
            branch=branch, status=Shoot.Status.FINISHED, **period.within(branch, "starts_at")
        ).count(),
        "selections": SelectionSession.objects.filter(
            order__branch=branch, **period.within(branch, "signed_at")
        ).count(),
        "pickups": PickupAppointment.objects.filter(
            branch=branch,
            status=PickupAppointment.Status.DONE,
            **period.within(branch, "starts_at"),
        ).count(),
    }
    # An item is on time when it passed QC (and so reached "done") on or before its due
    # date, counted on the branch's calendar; items without a due date cannot be late.
    production = (
        ProductionItem.objects.filter(order__branch=branch, **period.within(branch, "qc_passed_at"))
        .alias(done_on=TruncDate("qc_passed_at", tzinfo=branch.tzinfo))
        .aggregate(
            done=Count("pk"),
            with_due=Count("pk", filter=Q(due_date__isnull=False)),
            on_time=Count("pk", filter=Q(done_on__lte=F("due_date"))),
        )
    )
    production["on_time_percent"] = percent(production["on_time"], production["with_due"])
    figures["production"] = production
    figures["complaints"] = Complaint.objects.filter(
        branch=branch, **period.within(branch, "created_at")
    ).aggregate(logged=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False)))
    figures["satisfaction"] = satisfaction(branch, period)
    return figures


def satisfaction(branch, period):
    """The pickup surveys' average score (1–5), once the pickup app records surveys."""
    try:
        survey = apps.get_model("pickup", "Survey")
    except LookupError:
        return {"available": False, "answers": 0, "average": None}
    result = survey.objects.filter(
        order__branch=branch, **period.within(branch, "created_at")
    ).aggregate(answers=Count("pk"), average=Avg("score"))
    average = result["average"]
    return {
        "available": True,
        "answers": result["answers"],
        "average": None if average is None else round(Decimal(str(average)), 2),
    }


def targets(branch, period):
    """The month's targets (branch and staff) against what was signed and taken so far."""
    month = period.month
    start, _end = month.bounds(branch)
    _start, until = period.bounds(branch)
    deals = _deals_by_owner(branch, start, until)
    revenue = _revenue_by_staff(branch, start, until)
    rows = []
    for target in MonthlyTarget.objects.filter(branch=branch, month=month.first).select_related(
        "staff"
    ):
        if target.staff_id is None:
            done_deals, done_revenue = sum(deals.values()), sum(revenue.values(), ZERO)
        else:
            done_deals = deals.get(target.staff_id, 0)
            done_revenue = revenue.get(target.staff_id, ZERO)
        rows.append(
            {
                "target": target,
                "who": target.staff.display_name if target.staff else None,
                "deals": done_deals,
                "deals_percent": percent(done_deals, target.deals),
                "revenue": done_revenue,
                "revenue_percent": percent(done_revenue, target.revenue),
            }
        )
    rows.sort(key=lambda row: (row["who"] is not None, row["who"] or ""))
    return {"month": month.first, "until": period.end, "rows": rows}


def channels(branch, period):
    """Visits (booked, conversion) and deals by the channel the couples came from: a visit by
    the source the desk recorded at that visit, a deal by its couple's source. Every channel
    has its row, in the order the desk offers them; one grouped query for each side."""
    start, end = period.bounds(branch)
    visits = (
        Visit.objects.filter(branch=branch, arrived_at__gte=start, arrived_at__lt=end)
        .order_by()
        .values_list("source")
        .annotate(n=Count("pk"), booked=Count("pk", filter=Q(outcome__in=BOOKED)))
    )
    deals = (
        Order.objects.filter(branch=branch, signed_at__gte=start, signed_at__lt=end)
        .order_by()
        .values_list("customer__source")
        .annotate(n=Count("pk"), value=Coalesce(Sum("agreed_price"), ZERO, output_field=_money()))
    )
    rows = {
        key: {"key": key, "label": label, "visits": 0, "booked": 0, "deals": 0, "value": ZERO}
        for key, label in Customer.Source.choices
    }
    for source, n, booked in visits:
        row = rows.get(source, rows[Customer.Source.OTHER])
        row["visits"] += n
        row["booked"] += booked
    for source, n, value in deals:
        row = rows.get(source, rows[Customer.Source.OTHER])
        row["deals"] += n
        row["value"] += value
    for row in rows.values():
        row["conversion"] = percent(row["booked"], row["visits"])
    return list(rows.values())


NOT_RECORDED = ""


def not_booked(branch, period):
    """The visits that ended not booked, by the main reason the desk chose; visits closed
    before the desk chose one are counted as not recorded, so the rows add up."""
    counts = dict(
        Visit.objects.filter(
            branch=branch, outcome=Visit.Outcome.NOT_BOOKED, **period.within(branch, "arrived_at")
        )
        .order_by()
        .values_list("not_booked_because")
        .annotate(n=Count("pk"))
    )
    total = sum(counts.values())
    choices = [*Visit.NotBookedBecause.choices, (NOT_RECORDED, _("Not recorded"))]
    rows = []
    for key, label in choices:
        n = counts.pop(key, 0)
        if key == NOT_RECORDED:
            n += sum(counts.values())  # a value no longer offered: shown with the unknown
        if n or key != NOT_RECORDED:
            rows.append({"key": key, "label": label, "visits": n, "share": percent(n, total)})
    return {"rows": rows, "total": total}


def invoicing(branch, period, received):
    """Invoiced against received (开票 / 未开票收入): the fapiao issued in the period (dated
    on the branch's calendar, voided ones not counted) against the money received in it (the
    revenue lines: refunds taken off, holds and card bonus value left out), and the requests
    made in the period that still wait to be issued. A fapiao is the branch's by its order."""
    start, end = period.bounds(branch)
    issued = Q(status=FapiaoRequest.Status.ISSUED, issued_on__gte=period.first)
    issued &= Q(issued_on__lt=period.end)
    asked = Q(requested_at__gte=start, requested_at__lt=end)
    waiting = asked & Q(status=FapiaoRequest.Status.REQUESTED)
    figures = (
        FapiaoRequest.objects.filter(order__branch=branch)
        .filter(issued | asked)
        .aggregate(
            issued=Count("pk", filter=issued),
            issued_amount=Coalesce(Sum("amount", filter=issued), ZERO, output_field=_money()),
            asked=Count("pk", filter=asked),
            asked_amount=Coalesce(Sum("amount", filter=asked), ZERO, output_field=_money()),
            waiting=Count("pk", filter=waiting),
            waiting_amount=Coalesce(Sum("amount", filter=waiting), ZERO, output_field=_money()),
        )
    )
    figures["received"] = received
    figures["not_invoiced"] = received - figures["issued_amount"]
    figures["invoiced_percent"] = percent(figures["issued_amount"], received)
    return figures


TREND_MONTHS = 12


def trend(branch, period, months=TREND_MONTHS):
    """Visits, deals signed and revenue for each of the `months` months that end with the
    period's month, on the branch's calendar: one query per figure, grouped by month, each
    answered from a (branch, time) index alone (the ledger's carries the kind and amount)."""
    last = period.month.first
    firsts = [last]
    for _n in range(months - 1):
        firsts.append(Period.month_of(firsts[-1] - datetime.timedelta(days=1)).first)
    firsts.reverse()
    span = Period(MONTH, firsts[0])
    start, _end = span.bounds(branch)
    _start, end = period.month.bounds(branch)

    def by_month(queryset, field, **figure):
        month = TruncMonth(field, tzinfo=branch.tzinfo, output_field=DateField())
        return dict(
            queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})
            .order_by()
            .annotate(month=month)
            .values_list("month")
            .annotate(**figure)
        )

    # COUNT(*), not of a column: the (branch, time) index alone answers it.
    visits = by_month(Visit.objects.filter(branch=branch), "arrived_at", n=Count("*"))
    deals = by_month(Order.objects.filter(branch=branch), "signed_at", n=Count("*"))
    revenue = by_month(
        LedgerEntry.objects.filter(branch=branch).exclude(kind__in=LedgerEntry.NOT_REVENUE),
        "created_at",
        total=Sum("amount"),
    )
    return [
        {
            "month": first,
            "visits": visits.get(first, 0),
            "deals": deals.get(first, 0),
            "revenue": revenue.get(first) or ZERO,
        }
        for first in firsts
    ]


def report(branch, period):
    figures = {
        "funnel": funnel(branch, period),
        "money": money(branch, period),
        "channels": channels(branch, period),
        "not_booked": not_booked(branch, period),
        "staff_rows": per_staff(branch, period),
        "operations": operations(branch, period),
        "targets": targets(branch, period),
        "trend": trend(branch, period),
    }
    figures["invoicing"] = invoicing(branch, period, figures["money"]["revenue_total"])
    return figures
