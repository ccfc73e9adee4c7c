"""What followups does when the core or the orders announce something (studio.signals,
orders.services.customer_transferred)."""

from typing import Any

from django.dispatch import receiver

from orders.models import Transfer
from orders.services import customer_transferred
from studio.models import Staff, Visit
from studio.signals import visit_closed

from . import services


@receiver(visit_closed, dispatch_uid="followups.follow_up_visit")
def follow_up_visit(sender: type[Visit], *, visit: Visit, staff: Staff, **kwargs: Any) -> None:
    services.follow_up_visit(visit=visit, staff=staff)


@receiver(customer_transferred, dispatch_uid="followups.hand_over_open_calls")
def hand_over_open_calls(sender: type[Transfer], *, transfer: Transfer, **kwargs: Any) -> None:
    services.hand_over_open_calls(
        customer=transfer.customer,
        from_branch=transfer.from_branch,
        to_branch=transfer.to_branch,
        to=transfer.owner_after,
    )
