"""What rentals does when the core announces something (studio.signals)."""

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from studio.models import Customer, Staff
from studio.signals import customer_erased, erasure_refusals

from .models import DressReservation

# Keeps the database's rule that a dress handed out had an ID document shown.
ERASED_ID = "ERASED"


@receiver(erasure_refusals, dispatch_uid="rentals.erasure_refusals")
def refuse_erasure(sender: type[Customer], *, customer: Customer, **kwargs: Any) -> list[str]:
    """A dress still out: the studio must be able to reach the couple to get it back."""
    out = DressReservation.objects.filter(
        customer=customer, status=DressReservation.Status.PICKED_UP
    ).exists()
    return [_("A dress is still out with them: take it back first.")] if out else []


@receiver(customer_erased, dispatch_uid="rentals.erase_customer")
def erase_customer(sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any) -> None:
    """The reservations stay (their dates, fee and deposit are in the ledger) without the
    ID document's number, the measurements, the wedding date and the notes."""
    reservations = DressReservation.objects.filter(customer=customer)
    reservations.exclude(id_number="").update(id_number=ERASED_ID)
    reservations.update(
        bust=None,
        waist=None,
        hips=None,
        height=None,
        shoulder=None,
        wedding_date=None,
        damage_notes="",
    )
