"""What shoots does when the core announces something (studio.signals)."""

from typing import Any

from django.dispatch import receiver

from studio.models import Customer, Staff
from studio.signals import customer_erased

from .models import Shoot, ShootVisit


@receiver(customer_erased, dispatch_uid="shoots.erase_customer")
def erase_customer(sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any) -> None:
    """The shoots stay (who worked when) without the notes about the couple: the shoot's
    and those of the visits during it (探班)."""
    Shoot.objects.filter(order__customer=customer).update(note="")
    ShootVisit.objects.filter(shoot__order__customer=customer).update(note="")
