from django.db.models import Q
from django.utils import timezone

from studio.selectors import covering_for

from .models import CallTask, OutboxMessage


def open_tasks_for(staff, *, branch_ids, on=None):
    """My open calls, and those of colleagues I cover for today as their agent (代理人)."""
    on = on or timezone.localdate()
    absent = [leave.staff_id for leave in covering_for(staff, on=on)]
    return (
        CallTask.objects.filter(branch__in=branch_ids, status=CallTask.Status.OPEN)
        .filter(Q(assignee=staff) | Q(assignee__in=absent))
        .select_related("customer", "assignee", "order", "visit__taker")
        .prefetch_related("visit__packages_shown")
        .order_by("due_at")
    )


def messages_for(customer):
    """The messages queued for a couple, newest first, for their file: what was sent, what
    waits (and until when), and what was not sent and why (`get_skip_reason_display`)."""
    return list(OutboxMessage.objects.filter(customer=customer).order_by("-created_at", "-pk"))
