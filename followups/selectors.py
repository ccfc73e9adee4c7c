from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from studio.models import Customer, Leave, Staff
from studio.selectors import DataSection, covering_for, data_section

from .models import CallTask, CareRule, Channel, Complaint, MessageTemplate, OutboxMessage


def open_tasks_for(
    staff: Staff,
    *,
    branch_ids: Iterable[int],
    on: date | None = None,
    covering: list[Leave] | None = None,
) -> QuerySet[CallTask]:
    """My open calls, and those of colleagues I cover for today as their agent (代理人).
    `covering`: the leaves `covering_for(staff, on=...)` gave, when the caller has them."""
    if covering is None:
        covering = covering_for(staff, on=on or timezone.localdate())
    absent = [leave.staff_id for leave in covering]
    return (
        CallTask.objects.filter(branch__in=branch_ids, status=CallTask.Status.OPEN)
        .filter(Q(assignee=staff) | Q(assignee__in=absent))
        .select_related("customer", "assignee", "order", "visit__taker")
        .prefetch_related("visit__packages_shown")
        .order_by("due_at")
    )


def messages_for(customer: Customer) -> list[OutboxMessage]:
    """The messages queued for a couple, newest first, for their file: what was sent, what
    waits (and until when), and what was not sent and why (`get_skip_reason_display`)."""
    return list(OutboxMessage.objects.filter(customer=customer).order_by("-created_at", "-pk"))


def care_rules() -> list[CareRule]:
    """Every care rule, with the channel of its message template (`channel`)."""
    rules = list(CareRule.objects.select_related("updated_by"))
    channels = dict(
        MessageTemplate.objects.filter(
            key__in={r.template_key for r in rules if r.template_key}
        ).values_list("key", "channel")
    )
    for rule in rules:
        channel = channels.get(rule.template_key)
        rule.channel = Channel(channel).label if channel else ""  # type: ignore[attr-defined]
    return rules


def complaints_for(customer: Customer) -> list[Complaint]:
    return list(
        Complaint.objects.filter(customer=customer).select_related("logged_by", "owner", "order")
    )


def messages_to_check(queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
    """Messages "Sent or not?", oldest first, with what the page shows of each."""
    return (
        queryset.filter(status=OutboxMessage.Status.CHECK)
        .select_related("customer", "branch")
        .order_by("created_at", "pk")
    )


def customer_data(customer: Customer) -> list[DataSection]:
    """Aftercare's part of a customer's export: messages, calls and complaints."""
    return [
        data_section(
            "messages",
            gettext_lazy("Messages"),
            OutboxMessage.objects.filter(customer=customer).order_by("pk"),
            ["created_at", "channel", "to", "body", "purpose", "status", "sent_at"],
        ),
        data_section(
            "calls",
            gettext_lazy("Calls"),
            CallTask.objects.filter(customer=customer).order_by("due_at"),
            ["due_at", "kind", "status", "outcome", "done_at"],
        ),
        data_section(
            "complaints",
            gettext_lazy("Complaints"),
            Complaint.objects.filter(customer=customer).order_by("pk"),
            ["created_at", "text", "resolution", "resolved_at"],
        ),
    ]
