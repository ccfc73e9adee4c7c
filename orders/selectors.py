from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.functional import Promise
from django_fsm_log.models import StateLog

from studio.access import scoped

from . import fsm
from .models import Charge, LedgerEntry, Order, State

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


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
            paid_amount=_sum_of(LedgerEntry.objects.exclude(kind__in=LedgerEntry.HOLDS)),
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
    orders = scoped(Order.objects.all(), request)
    if state:
        orders = orders.filter(state=state)
    if q:
        orders = orders.filter(
            Q(number__icontains=q)
            | Q(customer__bride_name__icontains=q)
            | Q(customer__groom_name__icontains=q)
        )
    rows: QuerySet[Any] = with_money(orders).order_by("-signed_at").values(*LIST_FIELDS)
    return rows


def state_counts(request: HttpRequest) -> list[tuple[str, str | Promise, int]]:
    counts = dict(
        scoped(Order.objects.all(), request).values_list("state").annotate(n=Count("*")).order_by()
    )
    return [(value, label, counts.get(value, 0)) for value, label in State.choices]


def history(order: Order) -> list[StateLog]:
    """The order's state log, newest first, each row with `action` and `state_label` in
    the reader's language (the log stores the transition's and the state's code names)."""
    rows = list(
        StateLog.objects.for_(order).select_related("by__staff").order_by("-timestamp", "-pk")
    )
    for row in rows:
        row.action = (
            str(fsm.custom(Order, row.transition)["label"])
            if fsm.is_transition(Order, row.transition)
            else row.transition
        )
        row.state_label = str(State(row.state).label) if row.state in State.values else row.state
    return rows
