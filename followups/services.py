from django.db import IntegrityError, transaction
from django.utils import timezone

from studio.services import responsible_for

from .models import CallTask


def create_call_task(*, customer, kind, due_at, occasion, script="", order=None, assignee=None):
    """A call task for the customer's owner (or whoever covers for them that day).

    Idempotent: the same `occasion` (e.g. "shoot-confirm-7d:shoot=42") gives the same task,
    so a retried or duplicated worker run creates nothing new.
    """
    existing = CallTask.objects.filter(occasion=occasion).first()
    if existing is not None:
        return existing
    staff = assignee or customer.owner
    if staff is None:
        raise ValueError("The customer has no owner to call them.")
    staff = responsible_for(staff, on=timezone.localtime(due_at, customer.branch.tzinfo).date())
    try:
        with transaction.atomic():
            return CallTask.objects.create(
                branch=customer.branch,
                customer=customer,
                order=order,
                assignee=staff,
                kind=kind,
                occasion=occasion,
                due_at=due_at,
                script=script,
            )
    except IntegrityError:
        return CallTask.objects.get(occasion=occasion)


def close_call_task(*, task, staff, status, outcome=""):
    """Log how the call went. A task is closed once; a second press changes nothing."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    closing = {CallTask.Status.DONE, CallTask.Status.FAILED}
    if status not in closing:
        raise ValidationError({"status": _("Say whether the call got through.")})
    with transaction.atomic():
        locked = CallTask.objects.select_for_update().get(pk=task.pk)
        if locked.status != CallTask.Status.OPEN:
            return locked
        locked.status = status
        locked.outcome = outcome
        locked.done_at = timezone.now()
        locked.done_by = staff
        locked.save(update_fields=["status", "outcome", "done_at", "done_by"])
        return locked
