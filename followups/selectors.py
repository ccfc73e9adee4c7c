from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, QuerySet, prefetch_related_objects
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studio.listing import choice_labels, labels
from studio.models import Branch, Customer, Leave, Staff
from studio.prepared import Marker, Prepared
from studio.selectors import DataSection, data_section

from . import services
from . import texts as care_texts
from .models import CallTask, CareRule, Channel, Complaint, MessageTemplate, OutboxMessage


def _open_calls(branch_ids: list[int], assignee_ids: list[int]) -> QuerySet[CallTask]:
    """The rule of "my calls": the open calls in the reader's branches assigned to them or
    to the colleagues they cover for today as their agent (代理人), soonest due first."""
    return CallTask.objects.filter(
        branch_id__any=branch_ids,
        status=CallTask.Status.OPEN,
        assignee_id__any=assignee_ids,
    ).order_by("due_at")


def _assignees(staff: Staff, covering: list[Leave]) -> list[int]:
    """The reader and those they cover for (`covering_for(staff, on=...)`'s leaves)."""
    return [staff.pk, *(leave.staff_id for leave in covering)]


# "My calls" shows the first this many, soonest due first.
MY_CALLS_SHOWN = 100

_MY_OPEN_TASKS = Prepared(
    lambda branch_ids, assignee_ids: _open_calls(branch_ids, assignee_ids).select_related(
        "customer", "assignee", "order", "visit__taker"
    )[:MY_CALLS_SHOWN],
    [Marker.numbers(0), Marker.numbers(1)],
)


def my_open_tasks(
    staff: Staff, *, branch_ids: Iterable[int], covering: list[Leave]
) -> list[CallTask]:
    """The first `MY_CALLS_SHOWN` open calls (`_open_calls`) with their couple, order and
    the consultation they follow up (its packages shown): "My calls". Its SQL made once
    per process (studio.prepared); the packages read only when a call follows a
    consultation."""
    tasks: list[CallTask] = _MY_OPEN_TASKS(sorted(branch_ids), _assignees(staff, covering))
    prefetch_related_objects([t for t in tasks if t.visit_id], "visit__packages_shown")
    return tasks


def first_open_tasks(
    staff: Staff, *, branch_ids: Iterable[int], covering: list[Leave]
) -> list[CallTask]:
    """The first 20 open calls (`_open_calls`), as a line each (Today): when, what, whose
    couple, and whose call. Its SQL made once per process (studio.prepared)."""
    return _FIRST_OPEN_TASKS(sorted(branch_ids), _assignees(staff, covering))


_FIRST_OPEN_TASKS = Prepared(
    lambda branch_ids, assignee_ids: (
        _open_calls(branch_ids, assignee_ids)
        .select_related("customer")
        .only(
            "due_at",
            "kind",
            "status",
            "assignee_id",
            "customer_id",
            "customer__bride_name",
            "customer__groom_name",
        )[:20]
    ),
    [Marker.numbers(0), Marker.numbers(1)],
)


def care_rules(branch: Branch | None) -> list[CareRule]:
    """The care rules a manager edits, with the channel of each one's message template
    (`channel`): a branch's rules in force (its own rows, and the chain's it has none of),
    or, for head office (None), the chain's."""
    if branch is None:
        rules = list(CareRule.objects.filter(branch__isnull=True).select_related("updated_by"))
    else:
        rules = services.rules_for(branch)
    channels = dict(
        MessageTemplate.objects.filter(
            key__in={r.template_key for r in rules if r.template_key}, gender=""
        )
        .order_by("-branch_id")
        .values_list("key", "channel")
    )
    for rule in rules:
        channel = channels.get(rule.template_key)
        rule.channel = Channel(channel).label if channel else ""  # type: ignore[attr-defined]
    return rules


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


# --- What happened to the messages: per template and day (managers' report) ---

Status = OutboxMessage.Status

# The report's columns after "queued" (every message counts there, on the day it was
# queued), and where each status counts.
COLUMNS = ("waiting", "sent", "delivered", "failed", "skipped", "check")
COUNTS_IN: dict[str, tuple[str, ...]] = {
    Status.QUEUED: ("waiting",),
    Status.SENDING: ("waiting",),
    Status.SENT: ("sent",),
    Status.FAILED: ("failed",),
    Status.SKIPPED: ("skipped",),
    Status.CHECK: ("check",),
    # Delivery receipts (the gateways' callbacks): a delivered message was also sent; one
    # the phone never got was sent and failed there.
    Status.DELIVERED: ("sent", "delivered"),
    Status.UNDELIVERED: ("sent", "failed"),
}


@dataclass
class MessageCount:
    """One template on one day: how many were queued, and where they stand now."""

    day: date | None
    template_key: str
    queued: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    # Why not sent: the reason's label and how many.
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(care_texts.template_name(self.template_key))

    @property
    def cells(self) -> list[int]:
        return [self.counts[c] for c in COLUMNS]


def message_counts(
    branch: Branch, *, first: date, last: date
) -> tuple[list[MessageCount], MessageCount]:
    """Per template and day (branch time, the day each message was queued), how many were
    queued and how many of them wait, were sent, delivered, failed, were not sent (and why)
    or need checking; with the period's totals. One grouped query, on the index
    `outbox_branch_period`, however many messages and days."""
    start, _next = branch.day_bounds(first)
    _last_start, end = branch.day_bounds(last)
    rows = (
        OutboxMessage.objects.filter(branch=branch, created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=branch.tzinfo))
        .values_list("day", "template_key", "status", "skip_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reasons = labels(OutboxMessage.SkipReason)
    found: dict[tuple[date, str], MessageCount] = {}
    total = MessageCount(day=None, template_key="")
    for day, key, status, reason, n in rows:
        row = found.setdefault((day, key), MessageCount(day=day, template_key=key))
        for counted in (row, total):
            counted.queued += n
            for column in COUNTS_IN.get(status, ()):
                counted.counts[column] += n
            if reason:
                label = reasons.get(reason, reason)
                counted.reasons[label] = counted.reasons.get(label, 0) + n
    ordered = sorted(found.values(), key=lambda r: (-r.day.toordinal(), r.name))  # type: ignore[union-attr]
    return ordered, total


# --- A message's history, for the customer's timeline ---


@dataclass
class Step:
    at: datetime | None
    what: str


def message_steps(message: OutboxMessage) -> list[Step]:
    """What happened to one message, in order, from its own fields: queued (and for when),
    sent, failed or not sent with the reason, sending or to be checked, delivered when the
    gateway told us."""
    steps = [Step(message.created_at, _("Put in the queue"))]
    if message.send_after > message.created_at and message.status == Status.QUEUED:
        steps.append(Step(message.send_after, _("Waits until then")))
    if message.status == Status.SKIPPED:
        steps.append(
            Step(
                message.created_at,
                _("Not sent: %(reason)s")
                % {
                    "reason": choice_labels(OutboxMessage, "skip_reason").get(
                        message.skip_reason, message.skip_reason
                    )
                },
            )
        )
    elif message.error and message.status in (Status.QUEUED, Status.SENDING):
        steps.append(
            Step(
                message.claimed_at,
                _("Attempt %(n)s refused: %(error)s; tried again later")
                % {"n": message.attempts, "error": message.error},
            )
        )
    if message.status in (Status.SENDING, Status.CHECK):
        label = choice_labels(OutboxMessage, "status")[message.status]
        steps.append(Step(message.claimed_at, label))
    if message.sent_at is not None:
        steps.append(Step(message.sent_at, _("Sent")))
    if message.status == Status.FAILED:
        steps.append(
            Step(
                message.claimed_at,
                _("Failed after %(n)s attempts: %(error)s")
                % {"n": message.attempts, "error": message.error or "—"},
            )
        )
    delivered_at = getattr(message, "delivered_at", None)
    if delivered_at is not None:
        steps.append(Step(delivered_at, _("Delivered to the phone")))
    return steps
