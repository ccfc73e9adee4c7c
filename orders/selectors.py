from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from studio.access import scoped
from studio.middleware import StaffRequest
from studio.models import Customer
from studio.prepared import Marker, Prepared, may_have
from studio.selectors import DataSection, data_section

from . import fsm
from .models import (
    ZERO,
    CardEntry,
    CardHolder,
    Charge,
    FapiaoRequest,
    Instalment,
    LedgerEntry,
    Order,
    PlanRevision,
    State,
    StoredValueCard,
    Transfer,
    TransferredOrder,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


OPEN_STATES = tuple(s for s in State.values if s not in (State.DELIVERED, State.CANCELLED))


class Money(TypedDict):
    """What `with_money` adds to each order."""

    paid_amount: Decimal
    extra_charges: Decimal
    owed: Decimal  # the agreed price and the extra charges
    balance: Decimal


if TYPE_CHECKING:
    # An order read with its money (`with_money`); a type for hints only.
    OrderWithMoney = WithAnnotations[Order, Money]

_MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)


def _sum_of(queryset: QuerySet[Any]) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.filter(order=OuterRef("pk"))
            .order_by()
            .values("order")
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=_MONEY,
        ),
        Value(0, output_field=_MONEY),
    )


def with_money(queryset: QuerySet[Order]) -> QuerySet[OrderWithMoney]:
    """Owed, paid and balance for every order in one query, from the ledger."""
    return (
        queryset.annotate(
            paid_amount=_sum_of(LedgerEntry.objects.exclude(kind__in=LedgerEntry.NOT_PAID)),
            extra_charges=_sum_of(Charge.objects.all()),
        )
        .annotate(owed=F("agreed_price") + F("extra_charges"))
        .annotate(balance=F("owed") - F("paid_amount"))
    )


# What a row of the order list shows: plain values, no model built per row.
LIST_FIELDS = (
    "number",
    "state",
    "customer__bride_name",
    "customer__groom_name",
    "package__name",
    "owner__display_name",
    "owed",
    "paid_amount",
    "balance",
)


def order_list(
    request: HttpRequest, *, state: str | None = None, q: str | None = None
) -> QuerySet[Any]:
    """The order list's rows (`LIST_FIELDS` as dicts), newest first: a page of 50 reads
    one query and builds no model (an Order, its customer, package and owner per row was
    most of the page's time at chain scale)."""
    orders = listed_orders(request, state=state, q=q)
    rows: QuerySet[Any] = with_money(orders).order_by("-signed_at").values(*LIST_FIELDS)
    return rows


def listed_orders(
    request: HttpRequest, *, state: str | None = None, q: str | None = None
) -> QuerySet[Order]:
    """The orders the list shows, as orders: what its pages count. Counting the rows'
    query counted its joins to the couple, package and owner too (60 ms at chain scale
    for a branch's 5,000 orders, against 2 ms for the orders alone)."""
    orders: QuerySet[Order] = scoped(Order.objects.all(), request)
    if state:
        orders = orders.filter(state=state)
    if q:
        orders = orders.filter(
            Q(number__icontains=q)
            | Q(customer__bride_name__icontains=q)
            | Q(customer__groom_name__icontains=q)
        )
    return orders


def state_counts(request: StaffRequest) -> list[tuple[str, str | Promise, int]]:
    """How many orders of the reader's branches are in each state (Today's cards)."""
    counts = dict(_STATE_COUNTS(sorted(request.staff.branch_ids)))
    return [(value, label, counts.get(value, 0)) for value, label in State.choices]


_STATE_COUNTS = Prepared(  # Today's, at each view: its SQL made once (studio.prepared)
    lambda branch_ids: (
        Order.objects.filter(branch_id__any=branch_ids)
        .values_list("state")
        .annotate(n=Count("*"))
        .order_by()
    ),
    [Marker.numbers(0)],
)


def history(order: Order) -> list[StateLog]:
    """The order's state log, newest first, each row with `action` and `state_label` in
    the reader's language (the log stores the transition's and the state's code names)."""
    content_type = ContentType.objects.get_for_model(Order)  # cached by Django
    rows = _HISTORY([content_type.pk], [order.pk])
    for row in rows:
        row.action = (
            str(fsm.custom(Order, row.transition)["label"])
            if fsm.is_transition(Order, row.transition)
            else row.transition
        )
        row.state_label = str(State(row.state).label) if row.state in State.values else row.state
    return rows


# The order page's other reads, each one's SQL made once per process (studio.prepared).
_HISTORY = Prepared(
    # Lists of one: both columns are 32-bit integers, whose `=` refuses a marker number.
    lambda content_types, order_ids: (
        StateLog.objects.filter(content_type_id__any=content_types, object_id__any=order_ids)
        .select_related("by__staff")
        .order_by("-timestamp", "-pk")
    ),
    [Marker.numbers(0), Marker.numbers(1)],
)
_LEDGER = Prepared(
    lambda order_id: (
        LedgerEntry.objects.filter(order_id=order_id)
        .select_related("staff", "branch")
        .order_by("created_at", "pk")
    ),
    [Marker.number(0)],
)
_CHARGES = Prepared(
    lambda order_id: Charge.objects.filter(order_id=order_id).order_by("created_at", "pk"),
    [Marker.number(0)],
)
_FAPIAO_REQUESTS = Prepared(
    lambda order_id: FapiaoRequest.objects.filter(order_id=order_id).select_related(
        "requested_by", "decided_by"
    ),
    [Marker.number(0)],
)
_MOVES = Prepared(
    lambda order_id: (
        TransferredOrder.objects.filter(order_id=order_id)
        .select_related("transfer")
        .order_by("-transfer__at")
    ),
    [Marker.number(0)],
)
_PLAN_ROWS = Prepared(
    lambda order_id: (
        Instalment.objects.filter(order_id=order_id, is_current=True)
        .order_by("due_on")
        .values_list("due_on", "amount")
    ),
    [Marker.number(0)],
)


def ledger_of(order: Order) -> list[LedgerEntry]:
    """The order's ledger entries, oldest first, with who took them and where."""
    return _LEDGER(order.pk)


def charges_of(order: Order) -> list[Charge]:
    return _CHARGES(order.pk)


_USABLE_CARDS = Prepared(
    lambda customer_id, branch_id: (
        StoredValueCard.objects.filter(
            Q(customer_id=customer_id)
            | Q(
                pk__in=CardHolder.objects.filter(
                    customer_id=customer_id, removed_at__isnull=True
                ).values("card_id")
            ),
            branch_id=branch_id,
        )
        .select_related("customer")
        .order_by("opened_at", "pk")
    ),
    [Marker.number(0), Marker.number(1)],
)


def customer_cards(customer: Customer) -> list[StoredValueCard]:
    """The cards a customer may pay from, oldest first: their own and the family cards
    they hold, at their branch, each with its main holder."""
    return _USABLE_CARDS(customer.pk, customer.branch_id)


def usable_cards(order: Order) -> list[StoredValueCard]:
    """`customer_cards` of the order's customer, at the order's branch: none when the
    couple's file moved to another branch than the order's."""
    if order.branch_id != order.customer.branch_id:
        return []
    return customer_cards(order.customer)


def fapiao_requests_of(order: Order) -> list[FapiaoRequest]:
    """The order's fapiao requests, newest first, with who asked and who decided."""
    return _FAPIAO_REQUESTS(order.pk) if may_have(order, "fapiao_requests") else []


class StatementLine(TypedDict):
    entry: CardEntry
    real_after: Decimal
    bonus_after: Decimal


def card_statement(card: StoredValueCard) -> list[StatementLine]:
    """The card's entries, oldest first, each with what the card held after it (one query;
    the running balances are added up here from the same immutable rows)."""
    lines: list[StatementLine] = []
    real = bonus = Decimal("0.00")
    for entry in card.entries.select_related("staff", "ledger_entry__order", "payer").order_by(
        "created_at", "pk"
    ):
        real += entry.real
        bonus += entry.bonus
        lines.append({"entry": entry, "real_after": real, "bonus_after": bonus})
    return lines


# --- Instalments (issue 14, item 3) ---


@dataclass
class InstalmentState:
    """One current instalment as the ledger pays it: never stored."""

    due_on: date
    amount: Decimal
    paid: Decimal
    unpaid: Decimal
    overdue: bool


@dataclass
class Plan:
    instalments: list[InstalmentState]
    beyond: Decimal  # what is owed outside the plan (extras added since it was set)

    @property
    def unpaid(self) -> Decimal:
        return sum((i.unpaid for i in self.instalments), ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((i.unpaid for i in self.instalments if i.overdue), ZERO)

    @property
    def oldest_overdue(self) -> date | None:
        return next((i.due_on for i in self.instalments if i.overdue), None)


def allocate(instalments: list[tuple[date, Decimal]], balance: Decimal, today: date) -> Plan:
    """The balance due pays the instalments in date order: whatever of the plan is not
    still owed (the plan's total less the balance, never below nothing) has been paid, from
    the earliest instalment on. An extra owed beyond the plan (an upsell added since) is
    paid first; a refund makes instalments unpaid again. Everything follows from the ledger
    and the charges, so nothing is stored as paid."""
    rows = sorted(instalments)
    total = sum((a for _d, a in rows), ZERO)
    balance = max(balance, ZERO)
    unpaid_total = min(total, balance)
    paid_left = total - unpaid_total
    states = []
    for due_on, amount in rows:
        paid = min(amount, paid_left)
        paid_left -= paid
        unpaid = amount - paid
        states.append(InstalmentState(due_on, amount, paid, unpaid, unpaid > 0 and due_on < today))
    return Plan(states, balance - unpaid_total)


def plan_of(order: Order, balance: Decimal | None = None) -> Plan | None:
    """The order's current plan as paid so far, or None without one. `balance` when the
    order was read with its money (`with_money`), else it is read from the ledger."""
    rows = _PLAN_ROWS(order.pk) if may_have(order, "plan") else []
    if not rows:
        return None
    due = order.balance_due if balance is None else balance
    return allocate(rows, due, order.branch.today())


def plan_revisions(order: Order) -> list[PlanRevision]:
    """Every version of the plan, newest first, with its schedule: the audit trail."""
    return list(
        order.plan_revisions.select_related("by")
        .prefetch_related(Prefetch("instalments", Instalment.objects.order_by("due_on")))
        .order_by("-number")
    )


OVERDUE_SORTS = {
    "days": lambda row: (-row.days_overdue, row.order.number),
    "-days": lambda row: (row.days_overdue, row.order.number),
    "amount": lambda row: (-row.plan.overdue, row.order.number),
}


@dataclass
class OverdueRow:
    order: Order
    plan: Plan
    days_overdue: int


def overdue_orders(request: HttpRequest, *, sort: str = "days") -> list[OverdueRow]:
    """The branch's orders with an instalment past its date and not fully paid, most days
    overdue first (or `-days`, `amount`). Three queries whatever the number of orders: the
    orders with a current instalment past due and a balance (with their money), and their
    current instalments."""
    today = timezone.localdate()
    past_due = Instalment.objects.filter(order=OuterRef("pk"), is_current=True, due_on__lt=today)
    orders = list(
        with_money(
            scoped(Order.objects.all(), request)
            .filter(state__in=OPEN_STATES)
            .filter(Exists(past_due))
            .select_related("customer", "branch", "owner")
        ).filter(balance__gt=ZERO)
    )
    schedules: dict[int, list[tuple[date, Decimal]]] = {}
    for row in Instalment.objects.filter(
        order__in=[o.pk for o in orders], is_current=True
    ).values_list("order_id", "due_on", "amount"):
        schedules.setdefault(row[0], []).append((row[1], row[2]))
    found = []
    for order in orders:
        day = order.branch.today()
        plan = allocate(schedules.get(order.pk, []), order.balance, day)
        oldest = plan.oldest_overdue
        if oldest is not None:
            found.append(OverdueRow(order, plan, (day - oldest).days))
    found.sort(key=OVERDUE_SORTS.get(sort, OVERDUE_SORTS["days"]))
    return found


# --- Transfers between branches (issue 14, item 5) ---


def transfers_seen_by(branches: frozenset[int]) -> QuerySet[Transfer]:
    """Transfers into or out of `branches` (the user's), newest first: the sending
    branch's manager sees that a couple left, and to where."""
    return (
        Transfer.objects.filter(Q(from_branch__in=branches) | Q(to_branch__in=branches))
        .select_related("customer", "from_branch", "to_branch", "accepted_by", "owner_after")
        .prefetch_related("orders")
        .order_by("-at")
    )


def customers_by_phone(phone: str) -> QuerySet[Customer]:
    """Couples anywhere in the chain with exactly this phone (either partner's): what a
    receiving manager looks up before accepting a couple. The whole number, never a prefix:
    another branch's files are not browsed."""
    return (
        Customer.objects.filter(Q(bride_phone=phone) | Q(groom_phone=phone))
        .select_related("branch", "owner")
        .order_by("pk")
    )


def open_orders_of(customer: Customer) -> QuerySet[Order]:
    orders: QuerySet[Order] = Order.objects.filter(
        customer=customer, branch=customer.branch, state__in=OPEN_STATES
    ).order_by("signed_at")
    return orders


def moves_of(order: Order) -> list[TransferredOrder]:
    return _MOVES(order.pk) if may_have(order, "moves") else []


def customer_data(customer: Customer) -> list[DataSection]:
    """Orders' part of a customer's export: the orders, their charges and the ledger."""
    orders = Order.objects.filter(customer=customer).order_by("signed_at")
    return [
        data_section(
            "orders",
            _("Orders"),
            orders,
            [
                "number",
                "branch__name",
                "package__name",
                "package_price",
                "discount",
                "agreed_price",
                "gifts",
                "style_wishes",
                "notes",
                "signed_at",
                "state",
            ],
        ),  # fmt: skip
        data_section(
            "charges",
            _("Charges"),
            Charge.objects.filter(order__customer=customer).order_by("pk"),
            ["order__number", "kind", "amount", "description", "created_at"],
        ),
        data_section(
            "ledger",
            _("Payments and refunds"),
            LedgerEntry.objects.filter(order__customer=customer).order_by("pk"),
            ["order__number", "receipt_no", "kind", "method", "amount", "note", "created_at"],
        ),
    ]


def _order_page(number: str, branch_ids: list[int]) -> QuerySet[Any]:
    # With whether it has a plan, transfers and fapiao requests: most orders have none,
    # and the page then does not read them (`studio.prepared.may_have`).
    return (
        with_money(Order.objects.filter(number=number, branch_id__any=branch_ids))
        .select_related("customer", "package", "owner", "branch", "discount_approved_by")
        .annotate(
            has_plan=Exists(Instalment.objects.filter(order_id=OuterRef("pk"), is_current=True)),
            has_moves=Exists(TransferredOrder.objects.filter(order_id=OuterRef("pk"))),
            has_fapiao_requests=Exists(FapiaoRequest.objects.filter(order_id=OuterRef("pk"))),
        )
    )


# The order page's order with its money and people, scoped to the reader's branches; its
# SQL made once per process (studio.prepared): writing it cost more than running it.
order_page = Prepared(_order_page, [Marker.text(0), Marker.numbers(0)])
