"""What orders does when the core announces something (studio.signals)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from studio.models import Customer, Staff
from studio.signals import customer_erased, erasure_refusals

from .models import LedgerEntry, Order, State
from .selectors import with_money

CLOSED = (State.DELIVERED, State.CANCELLED)


@receiver(erasure_refusals, dispatch_uid="orders.erasure_refusals")
def refuse_erasure(sender: type[Customer], *, customer: Customer, **kwargs: Any) -> list[str]:
    """A couple's data stays while an order is open or money is owed or held: the studio
    still has to reach them, and the ledger's open entries name them."""
    reasons = []
    orders = list(with_money(Order.objects.filter(customer=customer)).order_by("pk"))
    open_numbers = [o.number for o in orders if o.state not in CLOSED]
    if open_numbers:
        reasons.append(
            _("Order %(numbers)s is still open: deliver or cancel it first.")
            % {"numbers": ", ".join(open_numbers)}
        )
    owed = [o.number for o in orders if o.state != State.CANCELLED and o.balance > 0]
    if owed:
        reasons.append(_("Money is still owed on %(numbers)s.") % {"numbers": ", ".join(owed)})
    held = (
        LedgerEntry.objects.filter(order__customer=customer, kind__in=LedgerEntry.HOLDS)
        .values("order__number")
        .annotate(held=Sum("amount"))
        .exclude(held=0)
        .order_by("order__number")
    )
    held_numbers = [row["order__number"] for row in held]
    if held_numbers:
        reasons.append(
            _("A deposit is still held on %(numbers)s: return or keep it first.")
            % {"numbers": ", ".join(held_numbers)}
        )
    return reasons


@receiver(customer_erased, dispatch_uid="orders.erase_customer")
def erase_orders(sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any) -> None:
    """The orders stay (money records are kept by law) without the couple's wishes and
    notes. The ledger and charges are not touched: append-only, and kept."""
    orders = Order.objects.filter(customer=customer)
    orders.update(gifts="", style_wishes="", notes="")
    # The notes typed with a state change ("her mother collects, call 139…") go too; the
    # change itself (who, when, from which state to which) stays in the history.
    StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Order),
        object_id__in=list(orders.values_list("pk", flat=True)),
    ).exclude(description__isnull=True).exclude(description="").update(description="")
