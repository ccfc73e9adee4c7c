"""Reads for the viewing control sheet, and the facts the Order's guards ask for."""

from shoots.selectors import day_bounds
from studio import roles
from studio.models import Staff

from .models import DEFAULT_SESSION_MINUTES, ProductionItem, SelectionSession, SessionLength


def session_minutes(branch):
    """How long a selection session lasts at the branch: its own setting, else 2 hours."""
    length = SessionLength.objects.filter(branch=branch).values_list("minutes", flat=True)
    return length.first() or DEFAULT_SESSION_MINUTES


def consultants(branch):
    """The active selection consultants of the branch, for the booking form."""
    return Staff.objects.filter(
        branches=branch, is_active=True, user__groups__name=roles.SELECTION_CONSULTANT
    ).order_by("display_name")


def appointment(order):
    """The order's booked selection session, or None."""
    return (
        SelectionSession.objects.filter(order=order, appointment_at__isnull=False)
        .select_related("consultant")
        .first()
    )


def sheet(sessions, *, branch, day):
    """The viewing control sheet (看样控制表) of one day: `sessions` already scoped."""
    start, end = day_bounds(branch, day)
    return (
        sessions.filter(order__branch=branch, appointment_at__gte=start, appointment_at__lt=end)
        .select_related("order__customer", "order__package", "consultant")
        .order_by("appointment_at", "pk")
    )


def _session(order):
    return SelectionSession.objects.filter(order=order).first()


def files_ready(order):
    s = _session(order)
    return bool(s and s.files_transferred_at and s.files_complete)


def selection_signed(order):
    s = _session(order)
    return bool(s and s.signed_at)


def upsell_settled(order):
    s = _session(order)
    return bool(s and s.upsell_settled)


def change_window_open(order):
    s = _session(order)
    return bool(s and s.change_window_open())


def change_window_waived(order):
    s = _session(order)
    return bool(s and s.change_window_waived)


def all_items_passed_qc(order):
    items = ProductionItem.objects.filter(order=order)
    return items.exists() and not items.filter(qc_passed_at__isnull=True).exists()


def all_items_handed_over(order):
    items = ProductionItem.objects.filter(order=order)
    return items.exists() and not items.filter(handed_over_at__isnull=True).exists()
