import logging
import os
import secrets
import socket
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from orders.models import Order
from studio import roles, texts
from studio.models import Branch, Customer, Staff, Visit
from studio.selectors import consents_in_force, has_consent
from studio.services import AlreadyDone, responsible_for
from studio.texts import Words

from . import texts as care_texts
from . import triggers
from .backends import NotSent, get_backend, look_up
from .models import (
    CallTask,
    CareRule,
    Channel,
    Complaint,
    MessageTemplate,
    OutboxMessage,
    Purpose,
)
from .triggers import FINDERS, Fact

log = logging.getLogger(__name__)


def create_call_task(
    *,
    customer: Customer,
    kind: str,
    due_at: datetime,
    occasion: str,
    script: Words = "",
    order: Order | None = None,
    assignee: Staff | None = None,
    visit: Visit | None = None,
) -> CallTask:
    """A call task for the customer's owner (or whoever covers for them that day).

    The script is a (kind, params) pair from studio.texts (rendered when read: words said
    to the couple in their language, instructions in the reader's), or words staff typed.

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
                **texts.stored(script, "script"),
            )
    except IntegrityError:
        return CallTask.objects.get(occasion=occasion)


def _already_closed(task: CallTask) -> str:
    if task.done_by is None or task.done_at is None:
        return _("Already done: this call is %(status)s.") % {"status": task.get_status_display()}
    return _("Already done: %(who)s logged this call as %(status)s at %(time)s.") % {
        "who": task.done_by.display_name,
        "status": task.get_status_display(),
        "time": timezone.localtime(task.done_at, task.branch.tzinfo).strftime("%H:%M"),
    }


def close_call_task(*, task: CallTask, staff: Staff, status: str, outcome: str = "") -> CallTask:
    """Log how the call went. A task is closed once: a second press changes nothing and is
    told who logged it and how (AlreadyDone)."""
    closing = {CallTask.Status.DONE, CallTask.Status.FAILED}
    if status not in closing:
        raise ValidationError({"status": _("Say whether the call got through.")})
    with transaction.atomic():
        # Who logged it is read after the lock (a join taken with it would be stale).
        locked = (
            CallTask.objects.select_for_update(of=("self",))
            .select_related("branch")
            .get(pk=task.pk)
        )
        if locked.status != CallTask.Status.OPEN:
            raise AlreadyDone(_already_closed(locked))
        locked.status = status
        locked.outcome = outcome
        locked.done_at = timezone.now()
        locked.done_by = staff
        locked.save(update_fields=["status", "outcome", "done_at", "done_by"])
        return locked


def close_call_tasks_for(
    *, occasions: Iterable[str], status: str, outcome: Words, by: Staff | None
) -> int:
    """Close the open call tasks of these exact occasions, when the outcome of the call was
    recorded elsewhere (e.g. on the shoot page); `outcome` is a (kind, params) pair from
    studio.texts or words staff typed. Exact occasions, not a prefix: closing
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
            for field, value in texts.stored(outcome, "outcome").items():
                setattr(task, field, value[:200] if field == "outcome" else value)
            task.done_at = timezone.now()
            task.done_by = by
            task.save(
                update_fields=[
                    "status",
                    "outcome",
                    "outcome_kind",
                    "outcome_params",
                    "done_at",
                    "done_by",
                ]
            )
    return len(tasks)


def move_call_task(*, occasion: str, due_at: datetime, script: Words) -> int:
    """The appointment behind an open call moved: the call is due at the new time and says
    the new time. A call already made stays as it was. Returns how many were moved."""
    with transaction.atomic():
        tasks = list(
            CallTask.objects.select_for_update().filter(
                occasion=occasion, status=CallTask.Status.OPEN
            )
        )
        for task in tasks:
            task.due_at = due_at
            for field, value in texts.stored(script, "script").items():
                setattr(task, field, value)
            task.save(update_fields=["due_at", "script", "script_kind", "script_params"])
    return len(tasks)


# --- Messages: SMS, WeChat, email, letters (DOMAIN.md, stage 8) ---

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(9, 0)
# Channels that ring a phone: never sent at night.
QUIET_CHANNELS = {Channel.SMS, Channel.WECHAT}
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=10)


def outside_quiet_hours(at: datetime, *, branch: Branch, channel: str) -> datetime:
    """`at`, or 09:00 branch time when `at` falls in the night (21:00–09:00) for a channel
    that rings a phone."""
    if channel not in QUIET_CHANNELS:
        return at
    local = timezone.localtime(at, branch.tzinfo)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return at
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, branch.tzinfo)


def template_for(
    key: str, *, branch: Branch, language: str, gender: str = ""
) -> MessageTemplate | None:
    """The words a customer of `branch` reading `language` receives for `key`: the branch's
    own template before the chain's, and within each the variant for the recipient's gender
    before the one for anyone. The first that exists decides, switched off or not: a
    branch that switches the chain's text off for itself keeps an inactive row of its own.

    Only the customer's language: a message is never sent in a language they do not read
    (None: nothing in it).
    """
    return _pick(_templates(key, branch), branch=branch, language=language, gender=gender)


def _templates(key: str, branch: Branch) -> list[MessageTemplate]:
    """Every row of `key` that may speak for `branch`: its own and the chain's."""
    return list(
        MessageTemplate.objects.filter(key=key)
        .filter(Q(branch=branch) | Q(branch__isnull=True))
        .order_by("branch_id", "language", "gender")
    )


def _pick(
    rows: list[MessageTemplate], *, branch: Branch, language: str, gender: str
) -> MessageTemplate | None:
    found = {(t.branch_id, t.gender): t for t in rows if t.language == language}
    for scope in (branch.pk, None):
        for variant in (gender, "") if gender else ("",):
            if (scope, variant) in found:
                return found[scope, variant]
    return None


# What a message without any template is recorded as (not sent, "switched off").
_NO_TEMPLATE = MessageTemplate(channel=Channel.SMS)


def _address(customer: Customer, channel: str) -> str:
    """Where the message goes. Customers have no e-mail address on file yet."""
    addresses: dict[str, str] = {
        Channel.SMS: customer.phones[0] if customer.phones else "",
        Channel.WECHAT: customer.wechat_openid,
        Channel.LETTER: customer.address,
    }
    return addresses.get(channel, "")


def customer_facing(value: object, language: str) -> str:
    """A placeholder's value as the customer reads it: a staff member's or a branch's name
    for customers in their language (小李, 徐汇店), never the bilingual label staff see."""
    if isinstance(value, (Staff, Branch)):
        return value.name_for_customer(language)
    return str(value)


def message_context(
    customer: Customer, context: Mapping[str, object], language: str
) -> dict[str, str]:
    """Every placeholder's value for one customer, in their language."""
    branch = customer.branch
    return {
        "couple": str(customer),
        "store": branch.name_for_customer(language),
        "store_phone": branch.phone,
        **{k: customer_facing(v, language) for k, v in context.items()},
    }


def queue_message(
    *,
    customer: Customer,
    key: str,
    occasion: str,
    context: Mapping[str, object],
    send_after: datetime | None = None,
) -> OutboxMessage:
    """Queue the message `key` for a customer, once per customer and occasion.

    Queuing the same occasion again returns the first message. The text comes from the
    manager's template in the customer's language only (`template_for`: the branch's own
    before the chain's, the variant for the recipient's gender before the neutral one), and
    every placeholder is written as the customer reads it: the branch's and the staff's
    names for customers (`context` may carry Staff), never the staff's labels. Nothing is
    sent at night: SMS and WeChat wait until 09:00 branch time. An offer or a greeting (a
    template whose purpose is marketing or care) is sent only with the customer's consent
    for that purpose on the template's channel (PIPL; service notices need none), and a
    switched-off template or a missing address sends nothing;
    those are recorded as not sent, with the reason (`skip_reason`).
    """
    existing = OutboxMessage.objects.filter(customer=customer, occasion=occasion).first()
    if existing is not None:
        return existing
    branch, language = customer.branch, customer.language
    rows = _templates(key, branch)
    # The channel (so the address, so who reads it) is the neutral text's; an SMS goes to
    # one person, whose gender chooses the variant. WeChat and letters reach the couple.
    neutral = _pick(rows, branch=branch, language=language, gender="")
    channel = (neutral or (rows[0] if rows else None) or _NO_TEMPLATE).channel
    to = _address(customer, channel)
    gender = customer.gender_at(to) if channel == Channel.SMS else ""
    template = _pick(rows, branch=branch, language=language, gender=gender)
    if template is not None and template.channel != channel:
        channel, to = template.channel, _address(customer, template.channel)
    message = OutboxMessage(
        branch=branch,
        customer=customer,
        channel=channel,
        to=to,
        template_key=key,
        occasion=occasion,
        purpose=template.purpose if template else Purpose.SERVICE,
        send_after=outside_quiet_hours(
            send_after or timezone.now(), branch=branch, channel=channel
        ),
    )
    Skip = OutboxMessage.SkipReason
    if template is None:
        elsewhere = any(t.is_active for t in rows)
        message.skip_reason = Skip.NO_LANGUAGE if elsewhere else Skip.NO_TEMPLATE
    elif not template.is_active:
        message.skip_reason = Skip.NO_TEMPLATE
    elif template.purpose != Purpose.SERVICE and not has_consent(
        customer, purpose=template.purpose, channel=channel
    ):
        message.skip_reason = Skip.NO_CONSENT
    elif not message.to:
        message.skip_reason = Skip.NO_OPENID if channel == Channel.WECHAT else Skip.NO_ADDRESS
    else:
        values = message_context(customer, context, language)
        try:
            message.body = template.render(values)
            message.params = template.parameters(values)
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


def dispatch_due_messages(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Send the queued messages that are due, each exactly once, through its channel's
    backend, in three steps so that no transaction holds a row lock while a gateway is
    called (STYLE.md rule 3):

    1. claim a batch in a short transaction: the due rows, locked with skip_locked (two
       workers take different ones), marked `sending` with this worker's name and the time;
    2. call the gateway outside any transaction, the message's id as its out-id;
    3. record the answer, only if the message is still this worker's claim: sent with the
       gateway's id; a refusal retried later (RETRY_AFTER × attempts) until MAX_ATTEMPTS,
       then failed; no answer at all (a timeout) leaves it `sending`, for step 0.

    Step 0 settles what an earlier run left `sending` (`reconcile_sending_messages`): a
    worker that died after the gateway took a message never makes the couple get it twice.
    SMS and WeChat found due at night wait for 09:00.

    A run claims batch after batch until nothing is due, `limit` messages were tried, or
    its time is spent (`dispatch_seconds`, under the minute between beat's runs), so a
    morning's queue goes out in one run, not a few hundred a minute. `now` fixes the clock
    (tests, the benchmark); without it each batch is claimed at the time it is taken.
    Returns how many were sent.
    """
    clock = timezone.now if now is None else (lambda: now)
    ends = monotonic() + dispatch_seconds()
    worker = _worker_name()
    reconcile_sending_messages(now=clock())
    sent = tried = 0
    while (limit is None or tried < limit) and monotonic() < ends:
        at = clock()
        size = CLAIM_BATCH if limit is None else min(CLAIM_BATCH, limit - tried)
        batch = _claim(now=at, worker=worker, size=size)
        if not batch:
            break
        for message in batch:
            tried += 1
            sent += _send(message, now=at, worker=worker)
    return sent


# Claimed together in one short transaction; a worker that dies leaves at most this many
# `sending` for the reconciler.
CLAIM_BATCH = 10


def dispatch_seconds() -> float:
    """How long one run of the dispatcher goes on claiming batches: under the minute
    between beat's runs, so runs seldom overlap (when they do, they claim different
    messages)."""
    return float(getattr(settings, "STUDIO_MESSAGE_DISPATCH_SECONDS", 50))


def _worker_name() -> str:
    """This run's name on the rows it claims: host, process and a token (two threads or two
    runs of one process are two claimants)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def sending_timeout() -> timedelta:
    """How long a message may stay `sending` before it is taken for a dead worker's: far
    longer than a gateway call may last (its HTTP timeout), so a slow worker's message is
    never asked about, and sent again, while its call is still under way."""
    return timedelta(seconds=getattr(settings, "STUDIO_MESSAGE_SENDING_TIMEOUT", 300))


def _claim(*, now: datetime, worker: str, size: int) -> list[OutboxMessage]:
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("branch", "customer")
            .filter(status=OutboxMessage.Status.QUEUED, send_after__lte=now)
            .order_by("send_after", "pk")[:size]
        )
        claimed = []
        consents = consents_in_force(m.customer_id for m in due if m.purpose != Purpose.SERVICE)
        for message in due:
            if message.purpose != Purpose.SERVICE and (
                (message.customer_id, message.purpose, message.channel) not in consents
            ):  # consent withdrawn since it was queued (PIPL: at any time)
                message.status = OutboxMessage.Status.SKIPPED
                message.skip_reason = OutboxMessage.SkipReason.NO_CONSENT
                message.save(update_fields=["status", "skip_reason"])
                continue
            later = outside_quiet_hours(now, branch=message.branch, channel=message.channel)
            if later != now:  # queued in the day, found at night: wait for the morning
                message.send_after = later
                message.save(update_fields=["send_after"])
                continue
            message.status = OutboxMessage.Status.SENDING
            message.claimed_by = worker
            message.claimed_at = now
            claimed.append(message)
        OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=OutboxMessage.Status.SENDING, claimed_by=worker, claimed_at=now, called_at=None
        )
    return claimed


def _send(message: OutboxMessage, *, now: datetime, worker: str) -> int:
    """Step 2 and 3 for one claimed message: 1 when the gateway took it."""
    backend = get_backend(message.channel)
    Status = OutboxMessage.Status
    attempt = message.attempts + 1
    # Marked before the call: a message a dead worker never handed over is queued again
    # without asking the gateway (which, for Tencent, cannot say "never got it").
    if not _claim_still_ours(message).update(called_at=timezone.now()):
        log.warning("Message %s was settled by someone else before its call", message.pk)
        return 0
    try:
        gateway_id = backend.send(message)
    except NotSent as exc:
        log.warning("Message %s not sent: %s", message.pk, exc)
        retry = exc.retry and attempt < MAX_ATTEMPTS
        _record(
            message,
            status=Status.QUEUED if retry else Status.FAILED,
            attempts=attempt,
            error=str(exc)[:300],
            send_after=now + RETRY_AFTER * attempt if retry else message.send_after,
        )
        return 0
    except Exception as exc:  # noqa: BLE001 - no answer: the gateway may have it
        log.warning("Message %s: no answer from the gateway (%r); asked later", message.pk, exc)
        _record(message, error=(str(exc) or type(exc).__name__)[:300])
        return 0
    _record(
        message,
        status=Status.SENT,
        sent_at=now,
        attempts=attempt,
        gateway_id=(gateway_id or "")[:100],
        error="",
    )
    return 1


def _claim_still_ours(message: OutboxMessage) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        pk=message.pk,
        status=OutboxMessage.Status.SENDING,
        claimed_by=message.claimed_by,
        claimed_at=message.claimed_at,
    )


def _record(message: OutboxMessage, *, never_called: bool = False, **changes: Any) -> bool:
    """Write the outcome if the message is still the claim we made: a reconciler that
    settled it meanwhile (the claim outlived the sending timeout) wins. `never_called`:
    only if its worker has not started the gateway call meanwhile."""
    claim = _claim_still_ours(message)
    if never_called:
        claim = claim.filter(called_at__isnull=True)
    done = claim.update(**changes)
    if not done:
        log.warning("Message %s was settled by someone else meanwhile: %s", message.pk, changes)
    return bool(done)


def reconcile_sending_messages(*, now: datetime | None = None, limit: int = 100) -> int:
    """Settle the messages left `sending` for longer than the sending timeout (a worker
    died between claiming and recording, or the gateway's answer never came), never by
    sending blindly again: the gateway is asked by out-id (`backend.look_up`).

    A message whose worker died before calling the gateway (`called_at` empty) is queued
    again without asking. It has the message: sent, with its id. It never got it: queued again, sent on this
    run. It cannot tell (a backend with no status query): `check`, for a person. The
    question itself fails: still `sending`, asked again on the next run.
    Returns how many were settled.
    """
    now = now or timezone.now()
    Status = OutboxMessage.Status
    stale = (
        OutboxMessage.objects.select_related("branch", "customer")
        .filter(status=Status.SENDING, claimed_at__lt=now - sending_timeout())
        .order_by("claimed_at", "pk")[:limit]
    )
    settled = 0
    for message in stale:
        if message.called_at is None:  # its worker died before it called the gateway
            settled += _record(message, never_called=True, status=Status.QUEUED, send_after=now)
            continue
        try:
            answer = look_up(get_backend(message.channel), message)
        except Exception as exc:  # noqa: BLE001 - the gateway is down: ask next time
            log.warning("Message %s: the gateway could not be asked (%r)", message.pk, exc)
            _record(message, error=(str(exc) or type(exc).__name__)[:300])
            continue
        if answer.received:
            changes: dict[str, Any] = {
                "status": Status.SENT,
                "sent_at": message.claimed_at,
                "attempts": message.attempts + 1,
                "gateway_id": (answer.gateway_id or message.gateway_id)[:100],
                "error": answer.detail[:300],
            }
        elif answer.received is False:
            changes = {"status": Status.QUEUED, "send_after": now}
        else:
            log.warning("Message %s: the gateway cannot tell if it was sent", message.pk)
            changes = {"status": Status.CHECK}
        settled += _record(message, **changes)
    return settled


# --- Care rules: timed aftercare, each rule once per customer and occasion (stage 8) ---

# A worker that was down catches up on what fell due in this window; older history is
# never replayed, so a new or re-timed rule does not write to last year's customers.
CARE_LOOKBACK = timedelta(days=2)
# `at_time` moves a fire time within its day: read facts a day either side of the window.
_DAY = timedelta(days=1)
# Far enough for "day 60" offers and yearly greetings, near enough to catch a typo.
MAX_OFFSET_MINUTES = 400 * 24 * 60


def care_occasion(rule: CareRule, fact: Fact) -> str:
    """`care:<rule>:<what>:<day it happened>`: the same event never fires a rule twice, even
    when the rule is re-timed after it fired."""
    day = timezone.localtime(fact.at, fact.customer.branch.tzinfo).date()
    return triggers.care_occasion(rule.key, fact.ref, day)


def due_care(
    rule: CareRule, *, now: datetime, own_rows: Mapping[str, set[int]] | None = None
) -> list[tuple[Fact, datetime]]:
    """(fact, fire time) for every event whose fire time came in the look-back window, of
    the couples the rule speaks for (`_applies_to`; `own_rows`: the branches with their own
    row, per key, when the caller has read them)."""
    due, _after = _due_page(rule, now=now, own_rows=own_rows)
    return due


def _due_page(
    rule: CareRule,
    *,
    now: datetime,
    own_rows: Mapping[str, set[int]] | None = None,
    after: int = 0,
    limit: int | None = None,
) -> tuple[list[tuple[Fact, datetime]], int | None]:
    """`due_care`, a page of a holiday's couples at a time (`triggers.holiday_page`: those
    numbered above `after`, `limit` of them), and the number to ask after for the next
    page (None: there is none; every other trigger is one page)."""
    since = now - CARE_LOOKBACK - rule.offset - _DAY
    until = now - rule.offset + _DAY
    if rule.trigger == CareRule.Trigger.HOLIDAY:
        # A holiday rule asks for its own holiday's couples, those it has not written to yet.
        facts, next_after = triggers.holiday_page(
            since, until, now, rule=rule, after=after, limit=limit
        )
    else:
        facts, next_after = FINDERS.ask(rule.trigger, since, until, now), None
    due = []
    applies = _applies_to(rule, own_rows)
    for fact in facts:
        if not applies(fact.customer.branch_id):
            continue  # another branch's couple, or a branch with its own row of this rule
        fire_at = rule.fire_time(fact.at, fact.customer.branch.tzinfo)
        if not now - CARE_LOOKBACK < fire_at <= now:
            continue
        if fact.upcoming and fact.at <= now:
            continue  # "the day before" is no use once the day has come
        if fact.holiday and (rule.holiday is None or fact.holiday != rule.holiday.key):
            continue  # each holiday has its own rule
        due.append((fact, fire_at))
    return due, next_after


def _applies_to(
    rule: CareRule, own_rows: Mapping[str, set[int]] | None = None
) -> Callable[[int], bool]:
    """Which branches' couples a rule speaks for: a branch's row its own branch's; the
    chain's every branch without a row of the same key (on or off) of its own."""
    if rule.branch_id is not None:
        return lambda branch_id: branch_id == rule.branch_id
    own = (own_rows if own_rows is not None else _own_rows()).get(rule.key, set())
    return lambda branch_id: branch_id not in own


def _own_rows() -> dict[str, set[int]]:
    """Per key, the branches that have a row of their own (one query for a whole run)."""
    found: dict[str, set[int]] = {}
    rows = CareRule.objects.filter(branch__isnull=False).values_list("key", "branch_id")
    for key, branch_id in rows.order_by():
        found.setdefault(key, set()).add(branch_id)
    return found


def rules_for(branch: Branch) -> list[CareRule]:
    """The rules in force at `branch`: its own rows, and the chain's it has no row for."""
    rows = list(
        CareRule.objects.filter(Q(branch=branch) | Q(branch__isnull=True)).select_related(
            "updated_by", "holiday", "branch"
        )
    )
    own = {r.key for r in rows if r.branch_id is not None}
    return [r for r in rows if r.branch_id is not None or r.key not in own]


def run_care_rules(*, now: datetime | None = None) -> int:
    """Fire every active care rule for the events whose time (plus the rule's offset) has
    come: a call task or a queued message per customer and occasion.

    Idempotent and safe to run twice at once: each rule runs in its own transaction holding
    its row lock (a second worker skips a rule another is firing; a holiday rule, whose
    couples are the whole chain, runs a page of `HOLIDAY_PAGE` couples per transaction),
    and every call task or message carries the occasion `care:<rule>:<what>:<day>`, unique
    in the database, so a retry, a duplicated task or a crash half-way creates nothing
    twice, and the next run goes on where the crash stopped. Messages go through
    `queue_message`, so consent, switched-off templates and quiet hours apply.
    Returns how many call tasks and messages it created.
    """
    now = now or timezone.now()
    fired = 0
    own_rows = _own_rows()
    for pk in CareRule.objects.filter(is_active=True).values_list("pk", flat=True):
        after: int | None = 0
        while after is not None:  # a holiday's couples a page at a time, each committed
            with transaction.atomic():
                rule = (
                    CareRule.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, is_active=True)
                    .first()
                )
                if rule is None:  # switched off meanwhile, or another worker has it
                    break
                count, after = _fire(rule, now=now, own_rows=own_rows, after=after)
            fired += count
    return fired


def _fire(
    rule: CareRule, *, now: datetime, own_rows: Mapping[str, set[int]], after: int = 0
) -> tuple[int, int | None]:
    """What one page of the rule's due events fires: (how many, the number to ask after
    for the next page, None when this was the last)."""
    page, next_after = _due_page(rule, now=now, own_rows=own_rows, after=after, limit=HOLIDAY_PAGE)
    due = {care_occasion(rule, fact): (fact, at) for fact, at in page}
    done = _fired_before(rule, due)
    fired = 0
    for occasion, (fact, fire_at) in due.items():
        if occasion in done:
            continue
        owner = fact.owner or fact.customer.owner
        if rule.action == CareRule.Action.CALL:
            caller = _caller(rule, fact.customer, owner, fire_at)
            if caller is None:
                log.warning("Care rule %s: nobody to call %s", rule.key, fact.customer.pk)
                continue
            create_call_task(
                customer=fact.customer,
                order=fact.order,
                assignee=caller,
                kind=rule.call_kind,
                due_at=fire_at,
                occasion=occasion,
                script=care_texts.care_script(rule.script)
                if rule.script in care_texts.SCRIPTS
                else rule.script,
            )
        else:
            queue_message(
                customer=fact.customer,
                key=rule.template_key,
                occasion=occasion,
                context={"owner": owner or "", "taker": owner or "", **dict(fact.context)},
                send_after=fire_at,
            )
        fired += 1
    return fired, next_after


# A holiday greets every consenting couple of the chain (some 130,000 on the first run of
# a new holiday rule): they are read and queued this many at a time, each page in its own
# transaction under the rule's lock, so no transaction holds more than a page of messages,
# and a run stopped half-way keeps the pages it finished; the next run reads only the
# couples not greeted yet (a message's occasion is unique per customer: none twice).
HOLIDAY_PAGE = 1000

# Occasions asked about per query: far under PostgreSQL's 65,535 parameters, even on a
# holiday that greets every consenting couple of the chain.
_ASK_BY = 1000


def _fired_before(rule: CareRule, due: Mapping[str, tuple[Fact, datetime]]) -> set[str]:
    """The occasions of `due` the rule has already fired. A call task's occasion is unique;
    a message's is unique per customer, and asked by (customer, occasion), the index
    `one_message_per_occasion` (by occasion alone, every message would be read)."""
    occasions = list(due)
    done: set[str] = set()
    for start in range(0, len(occasions), _ASK_BY):
        chunk = occasions[start : start + _ASK_BY]
        if rule.action == CareRule.Action.CALL:
            found = CallTask.objects.filter(occasion__in=chunk).values_list("occasion", flat=True)
            done.update(found.order_by())
            continue
        wanted = {(due[occasion][0].customer.pk, occasion) for occasion in chunk}
        rows = OutboxMessage.objects.filter(
            customer_id__in={customer for customer, _o in wanted}, occasion__in=chunk
        ).values_list("customer_id", "occasion")
        done.update(o for c, o in rows.order_by() if (c, o) in wanted)
    return done


def _caller(rule: CareRule, customer: Customer, owner: Staff | None, at: datetime) -> Staff | None:
    if rule.audience == CareRule.Audience.CUSTOMER_SERVICE:
        day = timezone.localtime(at, customer.branch.tzinfo).date()
        return customer_service_for(customer.branch, on=day) or owner
    return owner


def retime_care_rule(
    *,
    rule: CareRule,
    is_active: bool,
    offset_minutes: int,
    at_time: time | None,
    by: Staff,
    branch: Branch | None = None,
) -> CareRule:
    """A manager switches a rule on or off, or moves it. Events it already fired for are
    not fired again (the occasion names the event, not the time).

    `branch`: a store manager changes their branch's own row of the rule, made from the
    chain's the first time (same key, so the occasions the chain's row fired stay fired);
    None: head office changes the chain's row, for every branch without its own. A
    branch's row is never changed for another branch or as the chain's.
    """
    if abs(offset_minutes) > MAX_OFFSET_MINUTES:
        raise ValidationError({"offset": _("Keep the offset within 400 days either way.")})
    with transaction.atomic():
        locked = CareRule.objects.select_for_update().get(pk=rule.pk)
        if locked.branch_id is not None and locked.branch_id != (branch and branch.pk):
            raise ValidationError(_("This rule is another branch's."))
        if branch is not None and locked.branch_id is None:
            # The chain's row stays locked: two managers making the branch's row at once
            # take turns, and the second changes the row the first made.
            own = CareRule.objects.select_for_update().filter(key=locked.key, branch=branch)
            locked = own.first() or _branch_copy(locked, branch)
        locked.is_active = is_active
        locked.offset_minutes = offset_minutes
        locked.at_time = at_time
        locked.updated_at = timezone.now()
        locked.updated_by = by
        locked.save()
    return locked


def _branch_copy(rule: CareRule, branch: Branch) -> CareRule:
    copy = CareRule.objects.get(pk=rule.pk)
    copy.pk = None
    copy.branch = branch
    return copy


# --- Complaints ---


def log_complaint(
    *,
    customer: Customer,
    text: str,
    logged_by: Staff,
    order: Order | None = None,
    owner: Staff | None = None,
) -> Complaint:
    """Log a complaint with the staff member who owns it until it is resolved (the couple's
    owner unless someone else is named). The apology letter follows through the care rules
    (trigger "complaint logged")."""
    errors: dict[str, Any] = {}
    if not (text or "").strip():
        errors["text"] = _("Write down what the customer complains about.")
    if order is not None and order.customer_id != customer.pk:
        errors["order"] = _("Choose one of this couple's orders.")
    owner = owner or customer.owner or logged_by
    if not owner.branches.filter(pk=customer.branch_id).exists():
        errors["owner"] = _("The owner must work at the couple's branch.")
    if errors:
        raise ValidationError(errors)
    return Complaint.objects.create(
        branch=customer.branch,
        customer=customer,
        order=order,
        text=text.strip(),
        logged_by=logged_by,
        owner=owner,
    )


def resolve_complaint(*, complaint: Complaint, resolution: str, by: Staff) -> Complaint:
    """Record how a complaint was resolved. Resolved once: a second resolution changes nothing
    and is told who resolved it and when (studio.services.AlreadyDone)."""
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the complaint was resolved.")})
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.resolved_at is not None:
            raise AlreadyDone(
                _("Already resolved by %(who)s on %(when)s: %(resolution)s")
                % {
                    "who": locked.resolved_by or "—",
                    "when": formats.date_format(
                        timezone.localtime(locked.resolved_at), "SHORT_DATETIME_FORMAT"
                    ),
                    "resolution": locked.resolution,
                }
            )
        locked.resolution = resolution.strip()
        locked.resolved_at = timezone.now()
        locked.resolved_by = by
        locked.save(update_fields=["resolution", "resolved_at", "resolved_by"])
    return locked


# --- The consultation's aftercare (the core's close_visit announces it: studio.signals) ---

FOLLOW_UP_WITHIN = timedelta(hours=1)
THANK_YOU_AFTER = timedelta(minutes=30)


def customer_service_for(branch: Branch, *, on: date) -> Staff | None:
    """Who takes the follow-up calls of a branch today: its customer service, in turn by
    the fewest open calls; the store manager when it has none."""
    for role in (roles.CUSTOMER_SERVICE, roles.MANAGER):
        people = list(
            Staff.objects.filter(branches=branch, is_active=True, user__groups__name=role)
            .distinct()
            .order_by("pk")
        )
        available = [p for p in people if responsible_for(p, on=on) == p]
        if available:
            load = {
                s: CallTask.objects.filter(assignee=s, status=CallTask.Status.OPEN).count()
                for s in available
            }
            return min(available, key=lambda s: (load[s], s.pk))
    return None


def follow_up_visit(*, visit: Visit, staff: Staff) -> None:
    """A closed consultation's aftercare, inside `close_visit`'s transaction.

    Not booked (DOMAIN.md, aftercare: lost customers are worked, never dropped): customer
    service gets a follow-up call due within the hour, linked to this consultation so they
    read it on their list at once, and the couple gets a thank-you SMS in the taker's name
    30 minutes later. Booked: earlier visits' open follow-up calls are done.
    """
    at = visit.closed_at
    assert at is not None, "only a closed visit is followed up"
    if visit.outcome == Visit.Outcome.NOT_BOOKED:
        day = timezone.localtime(at, visit.branch.tzinfo).date()
        create_call_task(
            customer=visit.customer,
            kind=CallTask.Kind.VISIT_FOLLOWUP,
            due_at=at + FOLLOW_UP_WITHIN,
            occasion=f"visit-not-booked:visit={visit.pk}",
            script=care_texts.NOT_BOOKED(reason=visit.not_booked_reason),
            assignee=customer_service_for(visit.branch, on=day) or visit.taker,
            visit=visit,
        )
        queue_message(
            customer=visit.customer,
            key="visit_not_booked",
            occasion=f"visit-not-booked:visit={visit.pk}",
            context={"taker": visit.taker},
            send_after=at + THANK_YOU_AFTER,
        )
        return
    # A couple who books now needs no more follow-up calls from an earlier visit.
    earlier = CallTask.objects.filter(
        customer=visit.customer,
        kind=CallTask.Kind.VISIT_FOLLOWUP,
        status=CallTask.Status.OPEN,
    ).values_list("occasion", flat=True)
    close_call_tasks_for(
        occasions=list(earlier),
        status=CallTask.Status.DONE,
        outcome=care_texts.BOOKED_LATER(),
        by=staff,
    )


def hand_over_open_calls(
    *, customer: Customer, from_branch: Branch, to_branch: Branch, to: Staff
) -> int:
    """A couple moved to another branch: their open calls there go to the new owner at the
    new branch (the old branch's lists no longer show a couple it cannot open). Calls made
    stay where they were made. Returns how many moved."""
    with transaction.atomic():
        tasks = list(
            CallTask.objects.select_for_update().filter(
                customer=customer, branch=from_branch, status=CallTask.Status.OPEN
            )
        )
        for task in tasks:
            task.branch = to_branch
            task.assignee = to
            task.save(update_fields=["branch", "assignee"])
    return len(tasks)


# --- Erasure on the customer's request (PIPL; studio.services.erase_customer) ---

ERASED = "—"


def erase_customer_aftercare(*, customer: Customer) -> None:
    """Aftercare's rows of an erased couple: queued messages are not sent (skipped, with
    the reason), every message loses its address, text and parameters, open calls are
    cancelled and what callers noted goes, complaints keep that they happened but not
    what was said. Runs in erase_customer's transaction (studio.signals.customer_erased)."""
    messages = OutboxMessage.objects.filter(customer=customer)
    messages.filter(status=OutboxMessage.Status.QUEUED).update(
        status=OutboxMessage.Status.SKIPPED, skip_reason=OutboxMessage.SkipReason.ERASED
    )
    messages.update(to="", body="", params={})
    calls = CallTask.objects.filter(customer=customer)
    calls.filter(status=CallTask.Status.OPEN).update(status=CallTask.Status.CANCELLED)
    calls.exclude(outcome="").update(outcome=ERASED)
    complaints = Complaint.objects.filter(customer=customer)
    complaints.update(text=ERASED)
    complaints.exclude(resolution="").update(resolution=ERASED)
