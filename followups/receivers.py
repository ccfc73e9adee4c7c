"""What followups does when the core announces something (studio.signals)."""

from typing import Any

from django.dispatch import receiver

from studio.models import Customer, Staff, Visit
from studio.signals import customer_erased, visit_closed

from . import services


@receiver(visit_closed, dispatch_uid="followups.follow_up_visit")
def follow_up_visit(sender: type[Visit], *, visit: Visit, staff: Staff, **kwargs: Any) -> None:
    services.follow_up_visit(visit=visit, staff=staff)


@receiver(customer_erased, dispatch_uid="followups.erase_customer")
def erase_customer(sender: type[Customer], *, customer: Customer, by: Staff, **kwargs: Any) -> None:
    services.erase_customer_aftercare(customer=customer)
