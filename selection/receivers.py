"""What selection does when the core announces something (studio.signals)."""

from typing import Any

from django.dispatch import receiver

from studio.models import Customer, Staff
from studio.signals import customer_erased

from .models import Compensation, Favourite

ERASED = "—"


@receiver(customer_erased, dispatch_uid="selection.erase_customer")
def erase_customer(sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any) -> None:
    """Compensations keep what was given, by whom and when, not the words typed about the
    couple (why, why rejected)."""
    compensations = Compensation.objects.filter(customer=customer)
    compensations.update(reason=ERASED)
    compensations.exclude(rejection_reason="").update(rejection_reason=ERASED)


@receiver(customer_erased, dispatch_uid="selection.erase_favourite_notes")
def erase_favourite_notes(
    sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any
) -> None:
    """The notes the couple wrote on their photos at home go; which photos they marked
    (numbers, no words of theirs) stays with the session."""
    Favourite.objects.filter(photo__session__order__customer=customer).exclude(note="").update(
        note=""
    )
