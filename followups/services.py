import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from studio.services import responsible_for

from .backends import get_backend
from .models import CallTask, Channel, MessageTemplate, OutboxMessage

log = logging.getLogger(__name__)


def create_call_task(
    *, customer, kind, due_at, occasion, script="", order=None, assignee=None, visit=None
):
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
                visit=visit,
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


# --- Messages: SMS, WeChat, email, letters (DOMAIN.md, stage 8) ---

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(9, 0)
# Channels that ring a phone: never sent at night.
QUIET_CHANNELS = {Channel.SMS, Channel.WECHAT}
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=10)


def outside_quiet_hours(at, *, branch, channel):
    """`at`, or 09:00 branch time when `at` falls in the night (21:00–09:00) for a channel
    that rings a phone."""
    if channel not in QUIET_CHANNELS:
        return at
    local = timezone.localtime(at, branch.tzinfo)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return at
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, branch.tzinfo)


def _template(key, language):
    """The active template for the customer's language, else the site's language."""
    found = {t.language: t for t in MessageTemplate.objects.filter(key=key, is_active=True)}
    return found.get(language) or found.get(settings.LANGUAGE_CODE)


def _address(customer, channel):
    """Where the message goes. Customers have no e-mail address on file yet."""
    return {
        Channel.SMS: customer.phones[0] if customer.phones else "",
        Channel.WECHAT: customer.wechat,
        Channel.LETTER: customer.address,
    }.get(channel, "")


def queue_message(*, customer, key, occasion, context, send_after=None):
    """Queue the message `key` for a customer, once per customer and occasion.

    Queuing the same occasion again returns the first message. The text comes from the
    manager's template in the customer's language. Nothing is sent at night: SMS and WeChat
    wait until 09:00 branch time. A marketing template is not sent to a customer without
    marketing consent, and a switched-off template or a missing address sends nothing;
    those are recorded as not sent, with the reason (`skip_reason`).
    """
    existing = OutboxMessage.objects.filter(customer=customer, occasion=occasion).first()
    if existing is not None:
        return existing
    branch = customer.branch
    template = _template(key, customer.language)
    channel = template.channel if template else Channel.SMS
    message = OutboxMessage(
        branch=branch,
        customer=customer,
        channel=channel,
        to=_address(customer, channel),
        template_key=key,
        occasion=occasion,
        marketing=bool(template and template.marketing),
        send_after=outside_quiet_hours(
            send_after or timezone.now(), branch=branch, channel=channel
        ),
    )
    Skip = OutboxMessage.SkipReason
    if template is None:
        message.skip_reason = Skip.NO_TEMPLATE
    elif template.marketing and not customer.marketing_consent:
        message.skip_reason = Skip.NO_CONSENT
    elif not message.to:
        message.skip_reason = Skip.NO_ADDRESS
    else:
        context = {
            "couple": str(customer),
            "store": branch.name,
            "store_phone": branch.phone,
            **{k: str(v) for k, v in context.items()},
        }
        try:
            message.body = template.render(context)
        except ValueError:
            message.skip_reason = Skip.BAD_TEMPLATE
    if message.skip_reason:
        message.status = OutboxMessage.Status.SKIPPED
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return OutboxMessage.objects.get(customer=customer, occasion=occasion)
    return message


def dispatch_due_messages(*, now=None, limit=200):
    """Send the queued messages that are due, through the configured backend.

    Each message is sent inside its own transaction holding its row lock (skip locked), so
    two workers at once, or a task delivered twice, send every message once. A failure is
    retried later, up to MAX_ATTEMPTS, then the message is marked failed with the error.
    Returns how many were sent.
    """
    now = now or timezone.now()
    backend = get_backend()
    sent = 0
    for _i in range(limit):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .select_related("branch", "customer")
                .filter(status=OutboxMessage.Status.QUEUED, send_after__lte=now)
                .order_by("send_after", "pk")
                .first()
            )
            if message is None:
                break
            later = outside_quiet_hours(now, branch=message.branch, channel=message.channel)
            if later != now:  # queued in the day, found at night: wait for the morning
                message.send_after = later
                message.save(update_fields=["send_after"])
                continue
            message.attempts += 1
            try:
                backend.send(message)
            except Exception as exc:  # noqa: BLE001 - any gateway error is retried
                log.warning("Message %s not sent: %s", message.pk, exc)
                message.error = str(exc)[:300]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxMessage.Status.FAILED
                else:
                    message.send_after = now + RETRY_AFTER * message.attempts
            else:
                message.status = OutboxMessage.Status.SENT
                message.sent_at = now
                message.error = ""
                sent += 1
            message.save(update_fields=["attempts", "status", "sent_at", "send_after", "error"])
    return sent
