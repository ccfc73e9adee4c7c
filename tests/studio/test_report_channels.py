"""The month report's channels, reasons not booked, fapiao invoiced against money received,
and the 12-month trend add up to what the visits, the orders, the ledger and the fapiao
requests say.

Two branches in time zones whose clocks differ live fifteen months: visits from every
channel (a visit's channel is sometimes not its couple's), consultations not booked for
every reason (and old ones closed before the reason was asked), deals, balances, refunds,
reversed entries and card payments, fapiao requested, issued in the same or the next month
and voided, many of them in the seconds around a month's midnight on one branch's calendar
or the other's. The figures are worked out again row by row in Python and must equal the
report's for every month of the trend and its neighbours.
"""

import csv
import datetime
import io
import random
from decimal import Decimal

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse

from orders import services as order_services
from orders.models import CardBonusRule, FapiaoRequest, LedgerEntry, Order
from overview import reports
from studio import roles
from studio.models import Customer, Visit
from tests.factories import CustomerFactory

from .conftest import local_day, midnight, next_month

URL = reverse("overview:reports")
LAST = datetime.date(2026, 3, 1)  # the trend's last month; Los Angeles moves its clocks in it
ZERO = Decimal("0.00")
SOURCES = Customer.Source.values
REASONS = [*Visit.NotBookedBecause.values, ""]  # "" : closed before the reason was asked


def months(first, n):
    out = [first]
    for _ in range(n - 1):
        out.append(next_month(out[-1]))
    return out


FIRST = datetime.date(2025, 2, 1)  # a month before the trend's first
MONTHS = months(FIRST, 15)  # 2025-02 … 2026-04
TREND = MONTHS[2:14]  # 2025-04 … 2026-03
assert TREND[-1] == LAST


class Life:
    """Fifteen months at two branches, made through the services at the moments chosen."""

    def __init__(self, branches, staff, cashier, package, seed=14):
        self.branches, self.staff, self.cashier, self.package = branches, staff, cashier, package
        self.rng = random.Random(seed)

    def at(self, moment, action, **kwargs):
        with time_machine.travel(moment, tick=False):
            return action(**kwargs)

    def moments(self, branch, month):
        start = midnight(month, branch)
        second = datetime.timedelta(seconds=1)
        return [start - second, start + datetime.timedelta(days=11, hours=15)]

    def live(self):
        for branch in self.branches:
            for month in MONTHS:
                for moment in self.moments(branch, month):
                    self.visit(branch, moment)

    def visit(self, branch, moment):
        rng = self.rng
        taker = rng.choice(self.staff[branch])
        customer = CustomerFactory(branch=branch, owner=taker, source=rng.choice(SOURCES))
        # Mostly the couple's own channel; sometimes the desk recorded another at this visit.
        source = customer.source if rng.random() < 0.7 else rng.choice(SOURCES)
        outcome = rng.choice(
            [Visit.Outcome.BOOKED, Visit.Outcome.SHOOTING_TODAY, Visit.Outcome.NOT_BOOKED, ""]
        )
        because = rng.choice(REASONS) if outcome == Visit.Outcome.NOT_BOOKED else ""
        Visit.objects.create(
            branch=branch,
            customer=customer,
            taker=taker,
            registered_by=taker,
            source=source,
            outcome=outcome,
            not_booked_reason="Too dear" if outcome == Visit.Outcome.NOT_BOOKED else "",
            not_booked_because=because,
            arrived_at=moment,
        )
        if outcome == Visit.Outcome.NOT_BOOKED:
            return
        order = self.at(
            moment,
            order_services.create_order,
            customer=customer,
            package=self.package,
            owner=taker,
            created_by=taker,
            discount=Decimal(rng.choice([0, 500])),
            deposit=Decimal(rng.choice([1000, 2000])),
            deposit_method="wechat",
        )
        later = moment + datetime.timedelta(days=rng.choice([0, 3, 20, 40]), seconds=1)
        getattr(self, rng.choice(["balance", "refund", "reversal", "card", "nothing"]))(
            order, later
        )
        self.fapiao(branch, order, later)

    def nothing(self, order, when):
        pass

    def balance(self, order, when):
        self.at(
            when,
            order_services.take_payment,
            order=order,
            kind=LedgerEntry.Kind.BALANCE,
            method="cash",
            amount=Decimal(1500),
            staff=self.cashier,
        )

    def refund(self, order, when):
        order.refresh_from_db()
        self.at(
            when,
            order_services.refund,
            order=order,
            method="cash",
            amount=Decimal(300),
            staff=self.cashier,
            note="Goodwill",
        )

    def reversal(self, order, when):
        entry = order.ledger.get(kind=LedgerEntry.Kind.DEPOSIT)
        self.at(when, order_services.reverse_entry, entry=entry, staff=self.cashier, note="Twice")

    def card(self, order, when):
        """A card topped up with bonus value pays part of the balance: the bonus is no revenue."""
        CardBonusRule.objects.get_or_create(branch=order.branch, top_up=200, bonus=100)
        card = order_services.open_card(customer=order.customer, staff=self.cashier)
        self.at(
            when,
            order_services.top_up_card,
            card=card,
            method="cash",
            amount=Decimal(200),
            staff=self.cashier,
        )
        self.at(
            when,
            order_services.pay_from_card,
            card=card,
            order=order,
            kind=LedgerEntry.Kind.BALANCE,
            amount=Decimal(300),
            staff=self.cashier,
        )

    def fapiao(self, branch, order, when):
        rng = self.rng
        order.refresh_from_db()
        left = order_services.invoiceable(order)
        if left <= 0 or rng.random() < 0.3:
            return
        asked = self.at(
            when,
            order_services.request_fapiao,
            order=order,
            title_kind=FapiaoRequest.Title.PERSONAL,
            title="Zhang Wei",
            amount=min(left, Decimal(rng.choice([500, 1000]))),
            staff=self.cashier,
        )
        fate = rng.choice(["waiting", "issued", "issued", "voided", "withdrawn"])
        if fate == "waiting":
            return
        if fate == "withdrawn":
            order_services.cancel_fapiao(fapiao=asked, staff=self.cashier, reason="Not needed")
            return
        issued_on = local_day(branch, when) + datetime.timedelta(days=rng.choice([0, 0, 25]))
        order_services.issue_fapiao(
            fapiao=asked, number=f"F{asked.pk}", issued_on=issued_on, staff=self.cashier
        )
        if fate == "voided":
            order_services.cancel_fapiao(fapiao=asked, staff=self.cashier, reason="红冲")


@pytest.fixture
def life(two_clocks, branch, other_branch, make_staff):
    cashier = two_clocks.staff_of_both(roles.CASHIER, roles.MANAGER, display_name="Wang Fang")
    staff = {
        branch: [make_staff(roles.RECEPTIONIST, display_name="Li Na"), cashier],
        other_branch: [
            make_staff(roles.RECEPTIONIST, branch=other_branch, display_name="Amy Wu"),
            cashier,
        ],
    }
    seeded = Life(two_clocks.branches, staff, cashier, two_clocks.package)
    seeded.live()
    return seeded


# --- The figures worked out again, row by row -------------------------------------------


def _percent(part, whole):
    return None if not whole else round(Decimal(part) * 100 / Decimal(whole), 1)


def expected(branch, first, end):
    """Every new figure for [first, end) on the branch's calendar, from the rows."""

    def on(moment):
        return moment is not None and first <= local_day(branch, moment) < end

    visits = [v for v in Visit.objects.filter(branch=branch) if on(v.arrived_at)]
    orders = [o for o in Order.objects.select_related("customer") if o.branch_id == branch.pk]
    orders = [o for o in orders if on(o.signed_at)]
    entries = [e for e in LedgerEntry.objects.filter(branch=branch) if on(e.created_at)]
    received = sum((e.amount for e in entries if e.kind not in LedgerEntry.NOT_REVENUE), ZERO)
    channels = {}
    for key in SOURCES:
        mine = [v for v in visits if v.source == key]
        booked = sum(v.outcome in reports.BOOKED for v in mine)
        deals = [o for o in orders if o.customer.source == key]
        channels[key] = (
            len(mine),
            booked,
            _percent(booked, len(mine)),
            len(deals),
            sum((o.agreed_price for o in deals), ZERO),
        )
    lost = [v for v in visits if v.outcome == Visit.Outcome.NOT_BOOKED]
    reasons = {key: sum(v.not_booked_because == key for v in lost) for key in REASONS}
    fapiao = FapiaoRequest.objects.select_related("order")
    fapiao = [f for f in fapiao if f.order.branch_id == branch.pk]
    issued = [
        f for f in fapiao if f.status == FapiaoRequest.Status.ISSUED and first <= f.issued_on < end
    ]
    asked = [f for f in fapiao if on(f.requested_at)]
    waiting = [f for f in asked if f.status == FapiaoRequest.Status.REQUESTED]
    issued_amount = sum((f.amount for f in issued), ZERO)
    return {
        "visits": len(visits),
        "deals": len(orders),
        "revenue": received,
        "channels": channels,
        "reasons": {k: n for k, n in reasons.items() if n or k},
        "lost": len(lost),
        "invoicing": {
            "received": received,
            "issued": len(issued),
            "issued_amount": issued_amount,
            "not_invoiced": received - issued_amount,
            "asked": len(asked),
            "asked_amount": sum((f.amount for f in asked), ZERO),
            "waiting": len(waiting),
            "waiting_amount": sum((f.amount for f in waiting), ZERO),
        },
    }


def as_reported(branch, first):
    period = reports.Period(reports.MONTH, first)
    figures = reports.report(branch, period)
    invoicing = dict(figures["invoicing"])
    invoicing.pop("invoiced_percent")
    return {
        "visits": figures["funnel"]["visits"],
        "deals": figures["funnel"]["deals"],
        "revenue": figures["money"]["revenue_total"],
        "channels": {
            row["key"]: (
                row["visits"],
                row["booked"],
                row["conversion"],
                row["deals"],
                row["value"],
            )
            for row in figures["channels"]
        },
        "reasons": {row["key"]: row["visits"] for row in figures["not_booked"]["rows"]},
        "lost": figures["not_booked"]["total"],
        "invoicing": invoicing,
    }


def test_each_months_channels_reasons_and_fapiao_match_the_rows(life, branch, other_branch):
    # The seeded life is varied enough to mean something.
    visits = Visit.objects.all()
    assert set(visits.values_list("source", flat=True)) == set(SOURCES)
    assert set(visits.values_list("not_booked_because", flat=True)) == set(REASONS)
    assert visits.exclude(source=F("customer__source")).exists()
    statuses = set(FapiaoRequest.objects.values_list("status", flat=True))
    assert statuses == set(FapiaoRequest.Status.values)
    assert FapiaoRequest.objects.filter(status="cancelled", issued_on__isnull=False).exists()
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.CARD_BONUS).exists()
    assert LedgerEntry.objects.filter(reverses__isnull=False).exists()
    # The same moment falls in different months at the two branches.
    start = midnight(LAST, branch)
    assert local_day(branch, start) == LAST and local_day(other_branch, start) < LAST
    # Each month's channels, reasons and fapiao match the rows.
    for b in (branch, other_branch):
        for first in MONTHS[1:]:  # the trend's months and their neighbours
            assert as_reported(b, first) == expected(b, first, next_month(first)), (b.code, first)


def test_the_trend_and_the_csv_match_each_months_rows_and_report(life, branch, other_branch, login):
    for b in (branch, other_branch):
        for period in (
            reports.Period(reports.MONTH, LAST),
            reports.Period(reports.DAY, LAST + datetime.timedelta(days=20)),
        ):
            rows = reports.trend(b, period)
            assert [row["month"] for row in rows] == TREND
            for row in rows:
                want = expected(b, row["month"], next_month(row["month"]))
                assert (row["visits"], row["deals"], row["revenue"]) == (
                    want["visits"],
                    want["deals"],
                    want["revenue"],
                ), (b.code, row["month"])
                month = reports.report(b, reports.Period(reports.MONTH, row["month"]))
                assert row["visits"] == month["funnel"]["visits"]
                assert row["deals"] == month["funnel"]["deals"]
                assert row["revenue"] == month["money"]["revenue_total"]
    # The CSV carries the same figures.
    response = login(life.cashier).get(
        URL, {"branch": other_branch.pk, "month": f"{LAST:%Y-%m}", "format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = {(section, figure): value for section, figure, value in rows}
    want = expected(other_branch, LAST, next_month(LAST))
    for key, label in Customer.Source.choices:
        visits, booked, conversion, deals, value = want["channels"][key]
        section = f"Channel: {label}"
        assert cells[(section, "Visits")] == str(visits)
        assert cells[(section, "Booked")] == str(booked)
        assert cells[(section, "Conversion %")] == ("" if conversion is None else str(conversion))
        assert cells[(section, "Deals signed")] == str(deals)
        assert cells[(section, "Deals value")] == str(value)
    labels = dict(Visit.NotBookedBecause.choices) | {"": "Not recorded"}
    for key, n in want["reasons"].items():
        assert cells[("Reason not booked", labels[key])] == str(n)
    invoicing = want["invoicing"]
    assert cells[("Fapiao", "Money received")] == str(invoicing["received"])
    assert cells[("Fapiao", "Invoiced")] == str(invoicing["issued_amount"])
    assert cells[("Fapiao", "Not invoiced")] == str(invoicing["not_invoiced"])
    assert cells[("Fapiao", "Waiting to be issued")] == str(invoicing["waiting_amount"])
    for first in TREND:
        month = expected(other_branch, first, next_month(first))
        section = f"Trend: {first:%Y-%m}"
        assert cells[(section, "Visits")] == str(month["visits"])
        assert cells[(section, "Deals signed")] == str(month["deals"])
        assert cells[(section, "Revenue")] == str(month["revenue"])
