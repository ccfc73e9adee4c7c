"""The managers' report adds up to what the ledger and the orders say.

A seeded chain of two branches in different time zones lives a month: visits, deals,
payments, upsells, rentals, kept deposits, refunds, cancellations and reversed entries,
most of them in the seconds around midnight at the start and the end of the month in one
branch's time zone or the other's. The figures are then worked out again here, row by row
in Python (each row's moment read on the branch's own calendar), and must equal the
report's, for the month, for its neighbours and for days at its edges.
"""

import csv
import datetime
import io
import random
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from followups.models import Complaint
from orders import services as order_services
from orders.models import CardBonusRule, Charge, LedgerEntry, Order, State
from overview import reports
from pickup.models import PickupAppointment
from selection.models import ProductionItem, SelectionSession
from shoots.models import Shoot
from studio import roles
from studio.models import MonthlyTarget, Visit
from tests.factories import CustomerFactory

from .conftest import local_day, midnight, next_month

MONTH = datetime.date(2026, 3, 1)  # Los Angeles moves its clocks on 8 March
ZERO = Decimal("0.00")
KIND = LedgerEntry.Kind
LINES = {
    "package": (KIND.DEPOSIT, KIND.BALANCE),
    "selection_upsell": (KIND.SELECTION_UPSELL,),
    "pickup_upsell": (KIND.PICKUP_UPSELL,),
    "rental": (KIND.RENTAL_FEE,),
    "kept_deposits": (KIND.FORFEITED_HOLD,),
    "refunds": (KIND.REFUND,),
}


def edges(branch):
    """Moments around the month's first and last midnight on this branch's calendar."""
    start, end = midnight(MONTH, branch), midnight(next_month(MONTH), branch)
    second, hour = datetime.timedelta(seconds=1), datetime.timedelta(hours=1)
    return [
        start - hour,
        start - second,
        start,
        start + second,
        start + datetime.timedelta(days=14, hours=12),
        end - datetime.timedelta(hours=23),
        end - second,
        end,
        end + hour,
    ]


class Chain:
    """The month's life at two branches, made through the services at the moments chosen."""

    def __init__(self, branches, staff, manager, package, seed=2026):
        self.branches, self.staff, self.manager = branches, staff, manager
        self.package = package
        self.rng = random.Random(seed)
        self.moments = sorted({m for b in branches for m in edges(b)})

    def at(self, moment, action, **kwargs):
        with time_machine.travel(moment, tick=False):
            return action(**kwargs)

    def live(self):
        for branch in self.branches:
            for moment in self.moments:
                self.day_of(branch, moment)

    def day_of(self, branch, moment):
        rng, people = self.rng, self.staff[branch]
        outcome = rng.choice(
            [Visit.Outcome.BOOKED, Visit.Outcome.SHOOTING_TODAY, Visit.Outcome.NOT_BOOKED, ""]
        )
        taker = rng.choice(people)
        customer = CustomerFactory(branch=branch, owner=taker)
        Visit.objects.create(
            branch=branch,
            customer=customer,
            taker=taker,
            registered_by=taker,
            outcome=outcome,
            not_booked_reason="Too dear" if outcome == Visit.Outcome.NOT_BOOKED else "",
            arrived_at=moment,
        )
        if outcome == Visit.Outcome.NOT_BOOKED:
            return
        order = self.at(
            moment,
            order_services.create_order,
            customer=customer,
            package=self.package,
            owner=rng.choice(people),
            created_by=rng.choice(people),
            discount=Decimal(rng.choice([0, 300, 500])),
            deposit=Decimal(rng.choice([500, 1000, 2000])),
            deposit_method="wechat",
        )
        later = [m for m in self.moments if m >= moment]
        for when in sorted(rng.sample(later, min(len(later), 3))):
            getattr(self, rng.choice(self.ACTIONS))(order, when, rng.choice(people))
        self.operations(branch, order, rng.choice(later))

    ACTIONS = [
        "balance",
        "selection_upsell",
        "pickup_upsell",
        "rental",
        "hold",
        "refund",
        "cancel",
        "reversal",
        "card",
    ]

    def balance(self, order, when, by):
        order.refresh_from_db()
        if order.state == State.CANCELLED:
            return
        self.at(
            when,
            order_services.take_payment,
            order=order,
            kind=KIND.BALANCE,
            method="cash",
            amount=Decimal(self.rng.choice([800, 1500])),
            staff=by,
        )

    def _upsell(self, order, when, by, charge, kind, amount):
        self.at(
            when,
            order_services.add_charge,
            order=order,
            kind=charge,
            amount=amount,
            description="extra",
            staff=by,
        )
        order.refresh_from_db()
        if order.state != State.CANCELLED:
            self.at(
                when,
                order_services.take_payment,
                order=order,
                kind=kind,
                method="card",
                amount=amount,
                staff=by,
            )

    def selection_upsell(self, order, when, by):
        self._upsell(order, when, by, Charge.Kind.SELECTION_UPSELL, KIND.SELECTION_UPSELL, 600)

    def pickup_upsell(self, order, when, by):
        self._upsell(order, when, by, Charge.Kind.PICKUP_UPSELL, KIND.PICKUP_UPSELL, 250)

    def rental(self, order, when, by):
        self._upsell(order, when, by, Charge.Kind.RENTAL, KIND.RENTAL_FEE, 400)

    def hold(self, order, when, by):
        kind = self.rng.choice(LedgerEntry.HOLDS)
        self.at(
            when,
            order_services.take_hold,
            order=order,
            kind=kind,
            method="cash",
            amount=100,
            staff=by,
        )
        keep = self.rng.choice([0, 30])
        self.at(
            when,
            order_services.return_hold,
            order=order,
            kind=kind,
            method="cash",
            staff=by,
            keep=keep,
            keep_reason="Key lost" if keep else "",
        )

    def card(self, order, when, by):
        """The couple tops up a card (200, with 100 bonus) and pays 300 of the balance from
        it: 200 of it revenue, the bonus part never."""
        order.refresh_from_db()
        if order.state == State.CANCELLED or order.balance_due < 300:
            return
        CardBonusRule.objects.get_or_create(branch=order.branch, top_up=200, bonus=100)
        card = order_services.open_card(customer=order.customer, staff=by)
        self.at(
            when,
            order_services.top_up_card,
            card=card,
            method="cash",
            amount=Decimal(200),
            staff=by,
        )
        self.at(
            when,
            order_services.pay_from_card,
            card=card,
            order=order,
            kind=KIND.BALANCE,
            amount=Decimal(300),
            staff=by,
        )

    def refund(self, order, when, by):
        order.refresh_from_db()
        desk = order_services.refundable(order)["desk"]  # card money goes back onto the card
        if desk > 0:
            self.at(
                when,
                order_services.refund,
                order=order,
                method="cash",
                amount=min(desk, Decimal(200)),
                staff=self.manager,
                note="Goodwill",
            )

    def cancel(self, order, when, by):
        order.refresh_from_db()
        if order.state not in (State.BOOKED, State.SCHEDULED):
            return
        self.at(
            when,
            order_services.transition_order,
            order=order,
            name="cancel",
            by=self.manager.user,
            note="Changed their minds",
        )
        order.refresh_from_db()
        self.at(
            when,
            order_services.refund,
            order=order,
            method="cash",
            amount=(order.paid / 2).quantize(Decimal("0.01")),
            staff=self.manager,
            note="Half the deposit back",
        )

    def reversal(self, order, when, by):
        entry = order.ledger.filter(kind=KIND.DEPOSIT, reverses__isnull=True).first()
        if entry is None or hasattr(entry, "reversed_by"):
            return
        self.at(when, order_services.reverse_entry, entry=entry, staff=by, note="Typed twice")

    def operations(self, branch, order, when):
        """A shoot, a selection, production, a pickup, a complaint and a survey around it."""
        rng, by = self.rng, self.manager
        local = timezone.localtime(when, branch.tzinfo).date()
        Shoot.objects.create(
            order=order,
            branch=branch,
            starts_at=when,
            ends_at=when + datetime.timedelta(hours=3),
            status=rng.choice([Shoot.Status.FINISHED, Shoot.Status.NO_SHOW]),
            created_by=by,
        )
        SelectionSession.objects.create(order=order, signed_at=rng.choice([when, None]))
        for due in (local, local - datetime.timedelta(days=1), None):
            ProductionItem.objects.create(
                order=order,
                name="Album",
                stage=ProductionItem.Stage.DONE,
                due_date=due,
                qc_passed_at=when,
            )
        PickupAppointment.objects.create(
            order=order,
            branch=branch,
            starts_at=when,
            status=rng.choice([PickupAppointment.Status.DONE, PickupAppointment.Status.BOOKED]),
            slip_number=f"P{order.pk}",
            created_by=by,
        )
        with time_machine.travel(when, tick=False):
            Complaint.objects.create(
                branch=branch,
                customer=order.customer,
                order=order,
                text="Late album",
                logged_by=by,
                owner=by,
                **rng.choice([{"resolved_at": when, "resolution": "Reprinted"}, {}]),
            )
            survey = _survey_model()
            if survey is not None:
                survey.objects.create(order=order, score=rng.randint(1, 5), by=by)


def _survey_model():
    try:
        return apps.get_model("pickup", "Survey")
    except LookupError:
        return None


# --- The figures worked out again, row by row -------------------------------------------


def _on(branch, moment, first, end):
    return moment is not None and first <= local_day(branch, moment) < end


def _percent(part, whole):
    return None if not whole else round(Decimal(part) * 100 / Decimal(whole), 1)


def expected(branch, first, end):
    """Every figure of the report for [first, end) on the branch's calendar."""
    visits = [v for v in Visit.objects.all() if v.branch_id == branch.pk]
    visits = [v for v in visits if _on(branch, v.arrived_at, first, end)]
    orders = [o for o in Order.objects.all() if o.branch_id == branch.pk]
    orders = [o for o in orders if _on(branch, o.signed_at, first, end)]
    entries = [e for e in LedgerEntry.objects.all() if e.branch_id == branch.pk]
    entries = [e for e in entries if _on(branch, e.created_at, first, end)]
    # Holds are held, and a card's bonus value is the branch's gift: neither is revenue.
    money = [e for e in entries if e.kind not in (*LedgerEntry.HOLDS, KIND.CARD_BONUS)]
    booked = [v for v in visits if v.outcome in reports.BOOKED]
    lines = {
        key: sum((e.amount for e in money if e.kind in kinds), ZERO) for key, kinds in LINES.items()
    }
    deposits = [e for e in money if e.kind == KIND.DEPOSIT]
    people = {}
    for v in visits:
        people.setdefault(v.taker, [0, 0, 0, ZERO])[0] += 1
        people[v.taker][1] += v.outcome in reports.BOOKED
    for o in orders:
        people.setdefault(o.owner, [0, 0, 0, ZERO])[2] += 1
    for e in money:
        people.setdefault(e.staff, [0, 0, 0, ZERO])[3] += e.amount
    staff = {
        s.display_name: (n, b, d, r, _percent(b, n))
        for s, (n, b, d, r) in people.items()
        if n or d or r
    }
    return {
        "visits": len(visits),
        "booked": len(booked),
        "shooting_today": sum(v.outcome == Visit.Outcome.SHOOTING_TODAY for v in visits),
        "not_booked": sum(v.outcome == Visit.Outcome.NOT_BOOKED for v in visits),
        "open": sum(v.outcome == "" for v in visits),
        "conversion": _percent(len(booked), len(visits)),
        "deals": len(orders),
        "deals_value": sum((o.agreed_price for o in orders), ZERO),
        "deposits": sum(e.amount > 0 for e in deposits),
        "deposits_amount": sum((e.amount for e in deposits), ZERO),
        "revenue": lines,
        "revenue_total": sum(lines.values(), ZERO),
        "staff": staff,
        "operations": _operations(branch, first, end),
    }


def _operations(branch, first, end):
    def on(moment):
        return _on(branch, moment, first, end)

    items = [
        i
        for i in ProductionItem.objects.select_related("order")
        if i.order.branch_id == branch.pk and on(i.qc_passed_at)
    ]
    with_due = [i for i in items if i.due_date is not None]
    on_time = [
        i
        for i in with_due
        if timezone.localtime(i.qc_passed_at, branch.tzinfo).date() <= i.due_date
    ]
    complaints = [
        c for c in Complaint.objects.all() if c.branch_id == branch.pk and on(c.created_at)
    ]
    figures = {
        "shoots": sum(
            s.branch_id == branch.pk and s.status == Shoot.Status.FINISHED and on(s.starts_at)
            for s in Shoot.objects.all()
        ),
        "selections": sum(
            s.order.branch_id == branch.pk and on(s.signed_at)
            for s in SelectionSession.objects.select_related("order")
        ),
        "pickups": sum(
            p.branch_id == branch.pk
            and p.status == PickupAppointment.Status.DONE
            and on(p.starts_at)
            for p in PickupAppointment.objects.all()
        ),
        "production": {
            "done": len(items),
            "with_due": len(with_due),
            "on_time": len(on_time),
            "on_time_percent": _percent(len(on_time), len(with_due)),
        },
        "complaints": {
            "logged": len(complaints),
            "resolved": sum(c.resolved_at is not None for c in complaints),
        },
    }
    survey = _survey_model()
    if survey is not None:
        scores = [
            s.score
            for s in survey.objects.select_related("order")
            if s.order.branch_id == branch.pk and on(s.created_at)
        ]
        average = Decimal(sum(scores)) / len(scores) if scores else None
        figures["satisfaction"] = {
            "available": True,
            "answers": len(scores),
            "average": None if average is None else round(average, 2),
        }
    return figures


def as_reported(figures):
    """The report's figures in the shape of `expected`."""
    funnel, money = figures["funnel"], figures["money"]
    return {
        **{
            key: funnel[key]
            for key in ("visits", "booked", "shooting_today", "not_booked", "open")
            + ("conversion", "deals", "deals_value")
        },
        "deposits": money["deposits"],
        "deposits_amount": money["deposits_amount"],
        "revenue": {line["key"]: line["amount"] for line in money["revenue"]},
        "revenue_total": money["revenue_total"],
        "staff": {
            row.display_name: (row.visits_taken, row.booked, row.deals, row.revenue, row.conversion)
            for row in figures["staff_rows"]
        },
        "operations": figures["operations"],
    }


# --- The chain ------------------------------------------------------------------------------


@pytest.fixture
def chain(two_clocks, branch, other_branch, make_staff):
    manager = two_clocks.staff_of_both(roles.MANAGER, display_name="Wang Fang")
    both = two_clocks.staff_of_both(roles.RECEPTIONIST, display_name="Zhou Min")
    staff = {
        branch: [make_staff(roles.RECEPTIONIST, display_name=n) for n in ("Li Na", "Chen Jie")],
        other_branch: [
            make_staff(roles.RECEPTIONIST, branch=other_branch, display_name=n)
            for n in ("Amy Wu", "Ben Lau")
        ],
    }
    for people in staff.values():
        people += [both, manager]
    life = Chain(two_clocks.branches, staff, manager, two_clocks.package)
    life.live()
    for b in two_clocks.branches:
        MonthlyTarget.objects.create(branch=b, month=MONTH, deals=10, revenue=Decimal("20000"))
        MonthlyTarget.objects.create(branch=b, month=MONTH, staff=both, deals=3)
    return life


def test_the_chain_is_varied_enough_to_mean_something(chain, branch, other_branch):
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == set(KIND.values)
    assert LedgerEntry.objects.filter(reverses__isnull=False).exists()
    assert Order.objects.filter(state=State.CANCELLED).exists()
    for b in (branch, other_branch):
        inside = expected(b, MONTH, next_month(MONTH))
        before = expected(b, MONTH - datetime.timedelta(days=1), MONTH)
        assert inside["visits"] and inside["revenue"]["refunds"] and inside["revenue_total"]
        assert before["visits"] and before["revenue_total"]
    # The same moment falls on different days at the two branches.
    start = midnight(MONTH, branch)
    assert _on(branch, start, MONTH, next_month(MONTH))
    assert not _on(other_branch, start, MONTH, next_month(MONTH))


def test_each_branchs_month_matches_its_ledger_and_orders(chain, branch, other_branch):
    for b in (branch, other_branch):
        first = MONTH.replace(month=2)
        for _ in range(3):  # the month and its neighbours
            period = reports.Period(reports.MONTH, first)
            assert as_reported(reports.report(b, period)) == expected(b, first, period.end), (
                b.code,
                first,
            )
            first = next_month(first)


def test_days_at_the_months_edges_match_their_ledger_and_orders(chain, branch, other_branch):
    last = next_month(MONTH) - datetime.timedelta(days=1)
    for b in (branch, other_branch):
        for day in (MONTH - datetime.timedelta(days=1), MONTH, MONTH.replace(day=15), last):
            period = reports.Period(reports.DAY, day)
            assert as_reported(reports.report(b, period)) == expected(b, day, period.end), (
                b.code,
                day,
            )


def test_targets_count_the_month_so_far(chain, branch, other_branch):
    both = chain.staff[branch][-2]
    for b in (branch, other_branch):
        for period in (
            reports.Period(reports.MONTH, MONTH),
            reports.Period(reports.DAY, MONTH),
            reports.Period(reports.DAY, next_month(MONTH) - datetime.timedelta(days=1)),
        ):
            so_far = expected(b, MONTH, period.end)
            rows = {row["who"]: row for row in reports.targets(b, period)["rows"]}
            assert rows[None]["deals"] == so_far["deals"]
            assert rows[None]["revenue"] == so_far["revenue_total"]
            mine = so_far["staff"].get(both.display_name, (0, 0, 0, ZERO, None))
            assert (rows[both.display_name]["deals"], rows[both.display_name]["revenue"]) == (
                mine[2],
                mine[3],
            )


def test_the_csv_carries_the_same_figures(chain, branch, other_branch, login):
    manager = chain.manager
    response = login(manager).get(
        reverse("overview:reports"),
        {"branch": other_branch.pk, "month": f"{MONTH:%Y-%m}", "format": "csv"},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = {(section, figure): value for section, figure, value in rows}
    want = expected(other_branch, MONTH, next_month(MONTH))

    def text(value):
        return "" if value is None else str(value)

    assert cells[("Visits and deals", "Visits")] == text(want["visits"])
    assert cells[("Visits and deals", "Booked")] == text(want["booked"])
    assert cells[("Visits and deals", "Conversion %")] == text(want["conversion"])
    assert cells[("Visits and deals", "Deals signed")] == text(want["deals"])
    assert cells[("Money", "Deposits taken")] == text(want["deposits"])
    assert cells[("Money", "Deposits amount")] == text(want["deposits_amount"])
    assert cells[("Revenue", "Refunds")] == text(want["revenue"]["refunds"])
    assert cells[("Revenue", "Kept deposits")] == text(want["revenue"]["kept_deposits"])
    assert cells[("Revenue", "Total revenue")] == text(want["revenue_total"])
    staff_sections = {s for s, _f in cells if s.startswith("Staff: ")}
    assert staff_sections == {f"Staff: {name}" for name in want["staff"]}
    for name, (visits, booked, deals, revenue, conversion) in want["staff"].items():
        section = f"Staff: {name}"
        assert cells[(section, "Visits taken")] == text(visits)
        assert cells[(section, "Booked")] == text(booked)
        assert cells[(section, "Deals")] == text(deals)
        assert cells[(section, "Revenue taken")] == text(revenue)
        assert cells[(section, "Conversion %")] == text(conversion)
    ops = want["operations"]
    assert cells[("Operations", "Shoots done")] == text(ops["shoots"])
    assert cells[("Operations", "Production items done")] == text(ops["production"]["done"])
    assert cells[("Operations", "Complaints resolved")] == text(ops["complaints"]["resolved"])
