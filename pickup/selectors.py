"""Reads the pickup pages and the front desk share."""

from datetime import datetime, timedelta

from orders.selectors import with_money

from .models import PickupAppointment


def day_bounds(branch, day):
    start = datetime.combine(day, datetime.min.time(), branch.tzinfo)
    return start, start + timedelta(days=1)


def on_day(*, branch, day):
    """The day's pickup control sheet, moved appointments left out: one query per use."""
    start, end = day_bounds(branch, day)
    return PickupAppointment.objects.filter(
        branch=branch, starts_at__gte=start, starts_at__lt=end
    ).exclude(status=PickupAppointment.Status.MOVED)


def sheet(*, branch, day):
    """`on_day` with each order's couple, owner and balance: one query."""
    return on_day(branch=branch, day=day).select_related("clerk").order_by("starts_at", "pk")


def orders_for_sheet(appointments):
    from orders.models import Order

    ids = {a.order_id for a in appointments}
    found = with_money(Order.objects.filter(pk__in=ids)).select_related("customer", "owner")
    return {o.pk: o for o in found}


def current(order):
    return order.pickups.filter(status=PickupAppointment.Status.BOOKED).first()


def remaining_items(order):
    """The order's production items not yet handed over, in list order."""
    from selection.models import ProductionItem

    return list(ProductionItem.objects.filter(order=order, handed_over_at=None).order_by("pk"))


def handed_items(order):
    from selection.models import ProductionItem

    return list(
        ProductionItem.objects.filter(order=order, handed_over_at__isnull=False).order_by("pk")
    )


def survey(order):
    from .models import Survey

    return Survey.objects.filter(order=order).first()
