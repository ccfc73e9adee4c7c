"""What selection does when the core announces something (studio.signals)."""

from typing import Any

from django.dispatch import receiver

from studio.models import Customer, Staff
from studio.signals import customer_erased

from .models import Compensation, DesignProof, Favourite

ERASED = "—"


@receiver(customer_erased, dispatch_uid="selection.erase_customer")
def erase_customer(sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any) -> None:
    """Compensations keep what was given, by whom and when, not the words typed about the
    couple (why, why rejected)."""
    compensations = Compensation.objects.filter(customer=customer)
    compensations.update(reason=ERASED)
    compensations.exclude(rejection_reason="").update(rejection_reason=ERASED)


@receiver(customer_erased, dispatch_uid="selection.erase_the_couples_notes")
def erase_the_couples_notes(
    sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any
) -> None:
    """What the couple typed on their page goes: their notes on the photos they marked at
    home, and what they asked to change on a design proof. Which photos they marked and
    how they answered each proof (numbers and decisions, no words of theirs) stay."""
    Favourite.objects.filter(photo__session__order__customer=customer).exclude(note="").update(
        note=""
    )
    DesignProof.objects.filter(item__order__customer=customer).exclude(couple_note="").update(
        couple_note=""
    )
