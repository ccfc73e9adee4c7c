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


def close_call_tasks_for(*, occasions, status, outcome, by):
    """Close the open call tasks of these exact occasions, when the outcome of the call was
    recorded elsewhere (e.g. on the shoot page). Exact occasions, not a prefix: closing
    "shoot-confirm-1d:1" must not touch "shoot-confirm-1d:12". Closed tasks stay as they
    were. Returns how many were closed."""
    if status not in {CallTask.Status.DONE, CallTask.Status.FAILED}:
        raise ValueError(f"A call task closes as done or failed, not {status!r}.")
    with transaction.atomic():
        tasks = list(
            CallTask.objects.select_for_update().filter(
                occasion__in=list(occasions), status=CallTask.Status.OPEN
            )
        )
        for task in tasks:
            task.status = status
            task.outcome = str(outcome)[:200]
            task.done_at = timezone.now()
            task.done_by = by
            task.save(update_fields=["status", "outcome", "done_at", "done_by"])
    return len(tasks)
