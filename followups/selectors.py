from django.db.models import Q
from django.utils import timezone

from studio.selectors import covering_for

from .models import CallTask


def open_tasks_for(staff, *, branch_ids, on=None):
    """My open calls, and those of colleagues I cover for today as their agent (代理人)."""
    on = on or timezone.localdate()
    absent = [leave.staff_id for leave in covering_for(staff, on=on)]
    return (
        CallTask.objects.filter(branch__in=branch_ids, status=CallTask.Status.OPEN)
        .filter(Q(assignee=staff) | Q(assignee__in=absent))
        .select_related("customer", "assignee", "order")
        .order_by("due_at")
    )
