"""Reads the pickup pages and the front desk share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from orders.models import Order
from orders.selectors import with_money
from selection.models import ProductionItem
from studio.models import Branch, Customer
from studio.prepared import Marker, Prepared, Unseen, unseen
from studio.selectors import DataSection, data_section

from .models import LostSlipMemo, PickupAppointment, Survey

if TYPE_CHECKING:
    from orders.selectors import OrderWithMoney

    from .models import Survey


def on_day(*, branch: Branch, day: date, until: date | None = None) -> QuerySet[PickupAppointment]:
    """The day's pickup control sheet, moved appointments left out: one query per use.
    `until`: every day from `day` to `until`."""
    start, _end = branch.day_bounds(day)
    _start, end = branch.day_bounds(until or day)
    return _between(branch.pk, start, end)


def _between(
    branch_id: int, start: datetime | Unseen, end: datetime | Unseen
) -> QuerySet[PickupAppointment]:
    return PickupAppointment.objects.filter(
        branch_id=branch_id, starts_at__gte=start, starts_at__lt=end
    ).exclude(status=PickupAppointment.Status.MOVED)


# The Today page's (order, time, slip) of the pickups in a span, its SQL made once.
arrivals_between = Prepared(
    lambda branch_id, start, end: (
        _between(branch_id, unseen(start), unseen(end))
        .order_by()
        .values_list("order_id", "starts_at", "slip_number")
    ),
    [Marker.number(0), Marker.moment(0), Marker.moment(1)],
)


def sheet(*, branch: Branch, day: date) -> QuerySet[PickupAppointment]:
    """`on_day` with each order's couple, owner and balance: one query."""
    return on_day(branch=branch, day=day).select_related("clerk").order_by("starts_at", "pk")


def orders_for_sheet(appointments: Iterable[PickupAppointment]) -> dict[int, OrderWithMoney]:
    """The sheet's orders with their couple, owner and balance: one query (an empty day
    does not even build it)."""
    ids = {a.order_id for a in appointments}
    if not ids:
        return {}
    found = with_money(Order.objects.filter(pk__in=ids)).select_related("customer", "owner")
    return {o.pk: o for o in found}


def current(order: Order) -> PickupAppointment | None:
    return order.pickups.filter(status=PickupAppointment.Status.BOOKED).first()


def remaining_items(order: Order) -> list[ProductionItem]:
    """The order's production items not yet handed over, in list order."""
    return list(ProductionItem.objects.filter(order=order, handed_over_at=None).order_by("pk"))


def handed_items(order: Order) -> list[ProductionItem]:
    return list(
        ProductionItem.objects.filter(order=order, handed_over_at__isnull=False).order_by("pk")
    )


def survey(order: Order) -> Survey | None:
    from .models import Survey

    return Survey.objects.filter(order=order).first()


def customer_data(customer: Customer) -> list[DataSection]:
    """Pickup's part of a customer's export: appointments, lost-slip memos, surveys."""
    return [
        data_section(
            "pickups",
            gettext_lazy("Pickups"),
            PickupAppointment.objects.filter(order__customer=customer).order_by("starts_at"),
            ["order__number", "starts_at", "status", "slip_number", "note"],
        ),
        data_section(
            "lost_slip_memos",
            gettext_lazy("Lost-slip memos"),
            LostSlipMemo.objects.filter(order__customer=customer).order_by("pk"),
            ["order__number", "id_type", "id_number", "signed_at"],
        ),
        data_section(
            "surveys",
            gettext_lazy("Surveys"),
            Survey.objects.filter(order__customer=customer).order_by("pk"),
            ["order__number", "score", "comments", "would_refer", "created_at"],
        ),
    ]
