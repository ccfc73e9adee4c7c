"""Facts about selection and production that the Order's guards ask for."""

from .models import ProductionItem, SelectionSession


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
