"""Reads the rental pages and the front desk share."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from studio.listing import labels
from studio.models import Branch, Customer, couple_name
from studio.prepared import Marker, Prepared
from studio.selectors import DataSection, data_section

from .models import Dress, DressReservation

LIVE = [DressReservation.Status.RESERVED, DressReservation.Status.PICKED_UP]
Row = dict[str, Any]


def dresses(*, branch: Branch, today: date, category: str = "", size: str = "") -> list[Row]:
    """The branch's active dresses, each with its live reservations from today on
    (`upcoming`, by pickup date): two queries, rows of what the list shows."""
    found = Dress.objects.filter(branch=branch, is_active=True)
    if category:
        found = found.filter(category=category)
    if size:
        found = found.filter(size__iexact=size)
    columns = ("pk", "code", "name", "category", "size", "colour", "condition")
    rows: list[Row] = [dict(row) for row in found.values(*columns, "rental_price", "deposit")]
    upcoming: dict[int, list[Row]] = {row["pk"]: [] for row in rows}
    live = DressReservation.objects.filter(
        dress__in=found, status__in=LIVE, cleaning_until__gte=today
    ).order_by("pickup_on", "pk")
    for reservation in live.values("pk", "dress_id", "pickup_on", "return_on", "cleaning_until"):
        upcoming[reservation["dress_id"]].append(dict(reservation))
    categories, conditions = labels(Dress.Category), labels(Dress.Condition)
    for row in rows:
        row["upcoming"] = upcoming[row["pk"]]
        row["category_label"] = categories[row["category"]]
        row["condition_label"] = conditions[row["condition"]]
    return rows


def reservations(*, branch: Branch, since: date) -> list[Row]:
    """Live reservations still to pick up or to come back, soonest first: one query, rows
    of what the list shows (hundreds of them build no model instances). A dress that is
    out stays on the list until it is back, however late (its row says overdue)."""
    live = (
        DressReservation.objects.filter(branch=branch, status__in=LIVE)
        .filter(Q(return_on__gte=since) | Q(status=DressReservation.Status.PICKED_UP))
        .order_by("pickup_on", "pk")
    )
    rows: list[Row] = [
        dict(row)
        for row in live.values(
            "pk",
            "pickup_on",
            "return_on",
            "status",
            "dress__code",
            "dress__category",
            "dress__size",
            "customer__bride_name",
            "customer__groom_name",
            "order__number",
        )
    ]
    statuses, categories = labels(DressReservation.Status), labels(Dress.Category)
    for row in rows:
        row["status_label"] = statuses[row["status"]]
        row["category_label"] = categories[row["dress__category"]]
        row["couple"] = couple_name(row["customer__bride_name"], row["customer__groom_name"])
    return rows


def desk_on(
    *, branch: Branch, day: date, overdue: bool = False, until: date | None = None
) -> QuerySet[DressReservation]:
    """Dresses going out (reserved, picking up on `day`) and coming back (returning on
    `day`, or before it with `overdue`), for the Today page: one query. `until`: the same
    for every day from `day` to `until`."""
    last = until or day
    returns = Q(return_on__lte=last) if overdue else Q(return_on__gte=day, return_on__lte=last)
    return _desk(branch.pk, day, last, returns)


def _desk(branch_id: int, day: date, last: date, returns: Q) -> QuerySet[DressReservation]:
    return (
        DressReservation.objects.filter(branch_id=branch_id)
        .filter(
            Q(status=DressReservation.Status.RESERVED, pickup_on__gte=day, pickup_on__lte=last)
            | (Q(status=DressReservation.Status.PICKED_UP) & returns)
        )
        .select_related("dress")
        .order_by("pk")
    )


# `desk_on(overdue=True, until=...)` for the Today page, its SQL made once per process.
desk_between = Prepared(
    lambda branch_id, day, last: _desk(branch_id, day, last, Q(return_on__lte=last)),
    [Marker.number(0), Marker.day(0), Marker.day(1)],
)


def customer_data(customer: Customer) -> list[DataSection]:
    """Rentals' part of a customer's export: the dresses they reserved, with the ID
    document shown at pickup (their own data: in full)."""
    return [
        data_section(
            "rentals",
            gettext_lazy("Dress rentals"),
            DressReservation.objects.filter(customer=customer).order_by("pickup_on"),
            [
                "order__number",
                "dress__code",
                "pickup_on",
                "return_on",
                "status",
                "bust",
                "waist",
                "hips",
                "height",
                "shoulder",
                "rental_price",
                "deposit_amount",
                "id_type",
                "id_number",
                "deducted",
                "damage_notes",
            ],
        )  # fmt: skip
    ]
