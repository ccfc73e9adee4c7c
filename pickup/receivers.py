"""What pickup does when the core announces something (studio.signals)."""

from typing import Any

from django.dispatch import receiver

from studio.models import Customer, Staff
from studio.signals import customer_erased

from .models import LostSlipMemo, PickupAppointment, Survey

ERASED_ID = "ERASED"


@receiver(customer_erased, dispatch_uid="pickup.erase_customer")
def erase_customer(sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any) -> None:
    """The appointments keep their times and slips, not the desk's note about the couple;
    lost-slip memos keep that an ID document was shown, not its number; surveys keep their
    score, not the comments."""
    PickupAppointment.objects.filter(order__customer=customer).exclude(note="").update(note="")
    LostSlipMemo.objects.filter(order__customer=customer).update(id_number=ERASED_ID)
    Survey.objects.filter(order__customer=customer).update(comments="")
