"""Writes for the studio core and the front desk (DOMAIN.md, stage 1: reception).

Each function takes keyword arguments, runs in one transaction and locks what it changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, signals
from .models import (
    Branch,
    ConsentChannel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    CustomerChange,
    DataRequest,
    DiscountApproval,
    Leave,
    Package,
    Rota,
    RotaSlot,
    Staff,
    Visit,
    WorkerHeartbeat,
)
from .prepared import Marker, Prepared
from .selectors import Consent
from .templatetags.studio import money
from .validators import normalise_phone


def record_heartbeat(*, name: str) -> str:
    """Note that the worker ran a scheduled task just now."""
    with transaction.atomic():
        beat, _created = WorkerHeartbeat.objects.get_or_create(
            name=name, defaults={"last_seen": timezone.now()}
        )
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(
            last_seen=timezone.now(), beats=F("beats") + 1
        )
    return name


# --- Leave and agents (职务代理人) ---


def leave_on(staff: Staff, *, on: date) -> Leave | None:
    found: Leave | None = _LEAVE_ON.first(staff.pk, on)
    return found


# The customer file asks at each view whether the couple's owner is away.
_LEAVE_ON = Prepared(
    lambda staff_id, on: (
        Leave.objects.filter(staff_id=staff_id, starts_on__lte=on, ends_on__gte=on)
        .select_related("agent")
        .order_by("pk")
    ),
    [Marker.number(0), Marker.day(0)],
)


def responsible_for(staff: Staff, *, on: date) -> Staff:
    """Who handles `staff`'s customers and tasks on date `on`: they, or their agent while
    they are on leave (职务代理人). An agent on leave too passes it on to their own agent."""
    seen: set[int] = set()
    while staff.pk not in seen:
        seen.add(staff.pk)
        leave = leave_on(staff, on=on)
        if leave is None:
            return staff
        staff = leave.agent
    return staff  # a circle of agents all on leave: the last one asked keeps it


def record_leave(
    *, staff: Staff, starts_on: date, ends_on: date, agent: Staff, message: str = ""
) -> Leave:
    """A staff member names an agent for the days they are away."""
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    if agent.pk == staff.pk:
        errors["agent"] = _("Choose someone else as your agent.")
    elif not set(agent.branch_ids) & set(staff.branch_ids):
        errors["agent"] = _("The agent must work at one of your branches.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        overlapping = Leave.objects.select_for_update().filter(
            staff=staff, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        if overlapping.exists():
            raise ValidationError({"starts_on": _("You already have leave on some of these days.")})
        return Leave.objects.create(
            staff=staff, starts_on=starts_on, ends_on=ends_on, agent=agent, message=message
        )


# --- The order-taking rota (轮流接单表) ---


def set_rota(*, branch: Branch, day: date, takers: Iterable[Staff], set_by: Staff) -> Rota:
    """The manager's rota for one day: the order takers in turn. Replaces that day's rota."""
    takers = list(dict.fromkeys(takers))
    if not takers:
        raise ValidationError({"takers": _("Put at least one order taker on the rota.")})
    for staff in takers:
        if branch.pk not in staff.branch_ids:
            raise ValidationError(
                {"takers": _("%(name)s does not work at this branch.") % {"name": staff}}
            )
    with transaction.atomic():
        rota, _created = Rota.objects.select_for_update().get_or_create(branch=branch, day=day)
        rota.slots.all().delete()
        RotaSlot.objects.bulk_create(
            RotaSlot(rota=rota, staff=staff, position=i) for i, staff in enumerate(takers)
        )
        rota.last_position = -1
        rota.set_by = set_by
        rota.save(update_fields=["last_position", "set_by"])
        return rota


def _busy_ids(branch: Branch, day: date) -> set[int | None]:
    """Takers still with a customer who arrived today (an unclosed visit of an earlier day
    does not keep anyone busy for ever)."""
    start = datetime.combine(day, time.min, branch.tzinfo)
    return set(
        Visit.objects.filter(
            branch=branch, closed_at__isnull=True, arrived_at__gte=start
        ).values_list("taker_id", flat=True)
    )


def _next_taker(*, branch: Branch, day: date, fallback: Staff) -> Staff:
    """The next taker on the locked rota, skipping those on leave, then those busy.

    The caller holds the transaction, so the rota row stays locked until the visit exists.
    """
    rota = Rota.objects.select_for_update().filter(branch=branch, day=day).first()
    if rota is None:
        return fallback
    slots = list(rota.slots.select_related("staff").filter(staff__is_active=True))
    if not slots:
        return fallback
    on_leave = set(
        Leave.objects.filter(
            staff__in=[s.staff for s in slots], starts_on__lte=day, ends_on__gte=day
        ).values_list("staff_id", flat=True)
    )
    busy = _busy_ids(branch, day)
    after = [s for s in slots if s.position > rota.last_position]
    before = [s for s in slots if s.position <= rota.last_position]
    in_turn = [s for s in after + before if s.staff_id not in on_leave]
    if not in_turn:
        return fallback
    chosen = next((s for s in in_turn if s.staff_id not in busy), in_turn[0])
    rota.last_position = chosen.position
    rota.save(update_fields=["last_position"])
    return chosen.staff


# --- Customers and visits ---


def _normalised_phones(fields: dict[str, Any]) -> dict[str, Any]:
    """The couple's phones in their one spelling (studio.validators.normalise_phone), so
    "+86 139 0000-1111" and "13900001111" are the same couple; a wrong one is refused at
    its field."""
    errors: dict[str, Any] = {}
    for key in ("bride_phone", "groom_phone"):
        if key in fields:
            try:
                fields[key] = normalise_phone(fields[key])
            except ValidationError as exc:
                errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    return fields


def _lock_phones(phones: Iterable[str]) -> None:
    """Hold a transaction-level lock on each phone until the caller's transaction ends, so
    two desks filing the same new number at the same instant file it once: the second waits,
    then finds the first couple on file. Sorted, so two couples sharing a phone cannot
    deadlock. SQLite serialises writers by itself."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for phone in sorted(set(phones)):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"customer-phone:{phone}"]
            )


def phone_on_file(
    *, branch_ids: Iterable[int], phones: Iterable[str], exclude: Customer | None = None
) -> Customer | None:
    """The couple already on file with any of these phones, if one is (no duplicate files)."""
    phones = [p for p in phones if p]
    if not phones:
        return None
    found = Customer.objects.filter(branch__in=branch_ids).filter(
        Q(bride_phone__in=phones) | Q(groom_phone__in=phones)
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("created_at").first()


def phones_on_other_files(
    *, customer: Customer | None, phones: dict[str, str], branch_ids: Iterable[int]
) -> dict[str, str]:
    """{field: message} for each of `phones` ({"bride_phone": "139..."}) already on another
    couple's file in `branch_ids` than `customer` (None: a couple not yet filed).

    Call it inside the transaction that saves the phones: it holds their locks until that
    transaction ends, so two desks (or the app and the admin) giving the same number to two
    couples at the same instant cannot both succeed."""
    phones = {key: phone for key, phone in phones.items() if phone}
    if not phones:
        return {}
    _lock_phones(phones.values())
    errors = {}
    for key, phone in phones.items():
        existing = phone_on_file(branch_ids=branch_ids, phones=[phone], exclude=customer)
        if existing is not None:
            errors[key] = _("This phone number is already on file for %(couple)s.") % {
                "couple": existing
            }
    return errors


class DuplicateCustomer(ValidationError):
    """A new couple's phone is already on file: `existing` is the file to open instead."""

    def __init__(self, existing: Customer) -> None:
        self.existing = existing
        super().__init__(
            _("This phone number is already on file for %(couple)s: open their file instead.")
            % {"couple": existing}
        )


def register_visit(
    *,
    branch: Branch,
    registered_by: Staff,
    customer: Customer | None = None,
    new_customer: dict[str, Any] | None = None,
    kind: str = Visit.Kind.WALK_IN,
    source: str = Customer.Source.WALK_BY,
    referrer: Customer | None = None,
    reason: str = "",
) -> Visit:
    """Register a walk-in or phone enquiry (客流登记).

    The couple is found on file or filed on the spot (never twice: a phone already on file
    raises DuplicateCustomer, and a lock on each new phone makes two desks filing the same
    number at once file it once). The order taker comes from today's rota, round robin; a
    couple with an owner on duty goes to their owner. The taker of a new couple becomes its
    owner for the whole journey (首问负责制).
    """
    at = timezone.now()
    day = timezone.localtime(at, branch.tzinfo).date()
    if (customer is None) == (new_customer is None):
        raise ValueError("Pass either customer or new_customer.")
    # The new couple's fields, phones in their one spelling (empty when the couple is on file).
    filing: dict[str, Any] = {}
    if new_customer is not None:
        filing = _normalised_phones({"bride_phone": "", "groom_phone": "", **new_customer})
    if referrer is not None and source != Customer.Source.REFERRAL:
        referrer = None
    with transaction.atomic():
        if customer is None:
            phones = [p for p in (filing["bride_phone"], filing["groom_phone"]) if p]
            _lock_phones(phones)
            existing = phone_on_file(branch_ids=registered_by.branch_ids, phones=phones)
            if existing is not None:
                raise DuplicateCustomer(existing)
        owner = customer.owner if customer is not None else None
        if owner is not None and owner.is_active and branch.pk in owner.branch_ids:
            if responsible_for(owner, on=day) == owner:
                taker = owner
            else:
                taker = _next_taker(branch=branch, day=day, fallback=registered_by)
        else:
            taker = _next_taker(branch=branch, day=day, fallback=registered_by)
        if customer is None:
            customer = Customer(
                branch=branch, owner=taker, source=source, referrer=referrer, **filing
            )
            customer.full_clean(exclude=["owner", "referrer"])
            customer.save()
        elif customer.owner_id is None:
            Customer.objects.filter(pk=customer.pk).update(owner=taker)
            customer.owner = taker
        return Visit.objects.create(
            branch=branch,
            customer=customer,
            taker=taker,
            registered_by=registered_by,
            kind=kind,
            arrived_at=at,
            source=source,
            referrer=referrer,
            reason=reason,
        )


def close_visit(
    *,
    visit: Visit,
    staff: Staff,
    outcome: str,
    compared_studios: str = "",
    budget: Decimal | None = None,
    packages_shown: Iterable[Package] = (),
    not_booked_reason: str = "",
    not_booked_because: str = "",
) -> Visit:
    """End the consultation with its outcome.

    Not booked needs a reason, for the follow-up call (DOMAIN.md, aftercare: lost customers
    are worked, never dropped), and the kind of reason, which the managers' report counts
    (issue 14, item 8). The aftercare that follows — the call within the hour, the
    thank-you SMS — belongs to `followups`, which hears of the closed visit through the
    `visit_closed` signal, inside this transaction.
    """
    at = timezone.now()
    if outcome not in Visit.Outcome.values:
        raise ValidationError({"outcome": _("Choose how the consultation ended.")})
    if outcome == Visit.Outcome.NOT_BOOKED and not not_booked_reason.strip():
        raise ValidationError(
            {"not_booked_reason": _("Say why they did not book, for the follow-up call.")}
        )
    if outcome != Visit.Outcome.NOT_BOOKED:
        not_booked_because = ""
    elif not_booked_because not in Visit.NotBookedBecause.values:
        raise ValidationError(
            {"not_booked_because": _("Choose the main reason they did not book.")}
        )
    if budget is not None and budget < 0:
        raise ValidationError({"budget": _("The budget cannot be negative.")})
    with transaction.atomic():
        locked = (
            Visit.objects.select_for_update(of=("self",))
            .select_related("customer", "branch")
            .get(pk=visit.pk)
        )
        if locked.closed_at is not None:
            raise ValidationError(_("This consultation was already closed."))
        locked.outcome = outcome
        locked.compared_studios = compared_studios
        locked.budget = budget
        locked.not_booked_reason = not_booked_reason.strip()
        locked.not_booked_because = not_booked_because
        locked.closed_at = at
        locked.save()
        locked.packages_shown.set(packages_shown)
        signals.visit_closed.send(sender=Visit, visit=locked, staff=staff)
        return locked


# --- Discounts beyond the branch limit, approved from a manager's own device ---


def ask_discount_approval(
    *, customer: Customer, package: Package, discount: Decimal | int | str, requested_by: Staff
) -> DiscountApproval:
    """Ask the branch's managers to approve a discount beyond the limit (they answer from
    their own device). Asking again for the same discount returns the open request."""
    from decimal import Decimal

    discount = Decimal(discount)
    if discount <= 0:
        raise ValidationError({"discount": _("Only a discount needs approval.")})
    if package.price - discount < package.floor_price:
        raise ValidationError(
            {
                "discount": _("The price cannot go below %(floor)s for this package.")
                % {"floor": money(package.floor_price)}
            }
        )
    with transaction.atomic():
        existing = (
            DiscountApproval.objects.select_for_update()
            .filter(
                customer=customer,
                package=package,
                discount=discount,
                status__in=[DiscountApproval.Status.PENDING, DiscountApproval.Status.APPROVED],
            )
            .first()
        )
        if existing is not None:
            return existing
        return DiscountApproval.objects.create(
            branch=customer.branch,
            customer=customer,
            package=package,
            discount=discount,
            requested_by=requested_by,
        )


class AlreadyDone(ValidationError):
    """Someone else did this a moment ago (the second press of the same button). Views show
    it as a warning on the page, with the state things are in now, not as a refusal."""


class AlreadyDecided(AlreadyDone):
    """Another manager (or the same one, a moment ago) decided this discount first;
    `approval` is the decision that stands."""

    def __init__(self, approval: DiscountApproval) -> None:
        self.approval = approval
        params = {
            "manager": approval.decided_by.display_name if approval.decided_by else "?",
            "time": timezone.localtime(approval.decided_at, approval.branch.tzinfo).strftime(
                "%H:%M"
            ),
        }
        if approval.status == DiscountApproval.Status.APPROVED:
            text = _("Already decided: %(manager)s approved this discount at %(time)s.")
        else:
            text = _("Already decided: %(manager)s refused this discount at %(time)s.")
        super().__init__(text % params, code="already_decided")


def decide_discount_approval(
    *, approval: DiscountApproval, manager: Staff, approve: bool
) -> DiscountApproval:
    """A store manager of the branch approves or refuses; the first decision stands.

    The approval row is locked, so of two managers deciding at once the second waits, finds
    it decided and is told by whom (AlreadyDecided), never that their decision was applied.
    """
    if not manager.is_manager or approval.branch_id not in manager.branch_ids:
        raise ValidationError(_("Only a store manager of this branch can decide."))
    with transaction.atomic():
        # Who decided is read after the lock: a join taken with the lock would show the
        # row as it was before the other manager's decision.
        locked = (
            DiscountApproval.objects.select_for_update(of=("self",))
            .select_related("branch")
            .get(pk=approval.pk)
        )
        if locked.status != DiscountApproval.Status.PENDING:
            raise AlreadyDecided(locked)
        locked.status = (
            DiscountApproval.Status.APPROVED if approve else DiscountApproval.Status.REFUSED
        )
        locked.decided_by = manager
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        return locked


# --- The customer's contact details and preferences ---

EDITABLE_CUSTOMER_FIELDS = (
    "bride_name",
    "bride_phone",
    "bride_birthday",
    "bride_birthday_is_lunar",
    "bride_gender",
    "groom_name",
    "groom_phone",
    "groom_birthday",
    "groom_birthday_is_lunar",
    "groom_gender",
    "wechat",
    "wechat_openid",
    "address",
    "wedding_date",
    "notes",
    "language",
)


def update_customer(*, customer: Customer, by: Staff | None, **fields: Any) -> Customer:
    """Change a couple's contact details and preferences; the customer's history (who, old,
    new, when) is written by django-simple-history. A phone already on another couple's file is refused
    at its field (no duplicate files; the same phone lock as filing a new couple).
    `by` is None for a change the customer made themselves (an SMS reply "退订")."""
    unknown = set(fields) - set(EDITABLE_CUSTOMER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    fields = _normalised_phones(dict(fields))
    with transaction.atomic():
        locked = Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)
        if locked.erased_at is not None:
            raise ValidationError(_("This customer's personal data was erased on request."))
        changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
        for key, value in changed.items():
            setattr(locked, key, value)
        errors: dict[str, Any] = {}
        if not (locked.bride_name or locked.groom_name):
            errors["bride_name"] = _("Give the bride's or the groom's name.")
        if not (locked.bride_phone or locked.groom_phone):
            errors["bride_phone"] = _("Give the bride's or the groom's phone.")
        new_phones = {k: changed[k] for k in ("bride_phone", "groom_phone") if changed.get(k)}
        errors.update(
            phones_on_other_files(
                customer=locked,
                phones=new_phones,
                branch_ids=set(by.branch_ids if by else ()) | {locked.branch_id},
            )
        )
        if errors:
            raise ValidationError(errors)
        if not changed:
            return locked
        locked.full_clean(exclude=["owner", "referrer"])
        # django-simple-history records the whole file as it now is, with who changed it:
        # the same trail as an edit in the admin (see selectors.customer_changes).
        locked._history_user = by.user if by else None  # type: ignore[attr-defined]
        locked.save(update_fields=list(changed))
    return locked


def move_customer(*, customer: Customer, to_branch: Branch, owner: Staff, by: Staff) -> Customer:
    """File a couple at another branch with a new owner there (a transfer between branches:
    `orders.services.transfer_customer` locks the row and decides; this writes the file).
    The customer's history records who moved it."""
    locked = Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)
    locked.branch = to_branch
    locked.owner = owner
    locked._history_user = by.user  # type: ignore[attr-defined]
    locked.save(update_fields=["branch", "owner"])
    return locked


# --- Consent and personal data (PIPL; docs/decisions.md "Consent and personal data") ---


def _check_consent_choice(purpose: str, channel: str, source: str) -> None:
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"Unknown consent purpose {purpose!r}")
    if channel not in ConsentChannel.values:
        raise ValueError(f"Unknown consent channel {channel!r}")
    if source not in ConsentEvent.Source.values:
        raise ValueError(f"Unknown consent source {source!r}")


def _record_consent(
    customer: Customer,
    *,
    granted: bool,
    purpose: str,
    channel: str,
    source: str,
    by: Staff | None,
) -> ConsentEvent:
    _check_consent_choice(purpose, channel, source)
    with transaction.atomic():
        # The customer's row orders the records of one couple: of two desks recording at
        # once, the second reads the first's record and does not repeat it.
        locked = Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)
        if granted and locked.erased_at is not None:
            raise ValidationError(
                _("This customer's personal data was erased: no consent can be recorded.")
            )
        latest = (
            ConsentEvent.objects.filter(customer=locked, purpose=purpose, channel=channel)
            .order_by("-pk")
            .first()
        )
        if latest is not None and latest.granted == granted:
            return latest  # already so: a double submit or a second 退订 records nothing
        return ConsentEvent.objects.create(
            customer=locked,
            purpose=purpose,
            channel=channel,
            granted=granted,
            source=source,
            recorded_by=by,
        )


def grant_consent(
    customer: Customer, *, purpose: str, channel: str, source: str, by: Staff | None = None
) -> ConsentEvent:
    """The customer agrees to be contacted for `purpose` on `channel` (PIPL: consent per
    purpose, recorded with when, how and who). Returns the record in force: the new one,
    or the grant already in force (nothing is recorded twice)."""
    return _record_consent(
        customer, granted=True, purpose=purpose, channel=channel, source=source, by=by
    )


def withdraw_consent(
    customer: Customer, *, purpose: str, channel: str, source: str, by: Staff | None = None
) -> ConsentEvent:
    """The customer withdraws consent for `purpose` on `channel`, at any time and by any
    means (the front desk, an SMS reply TD/退订, WeChat). A withdrawal is recorded even
    when nothing was granted (an explicit no); a second one in a row records nothing."""
    return _record_consent(
        customer, granted=False, purpose=purpose, channel=channel, source=source, by=by
    )


def record_consents(
    customer: Customer,
    *,
    purpose: str,
    channels: Iterable[str],
    granted: bool,
    source: str,
    by: Staff | None = None,
) -> list[ConsentEvent]:
    """The front desk's form: one decision for one purpose on several channels, all
    recorded or none."""
    record = grant_consent if granted else withdraw_consent
    with transaction.atomic():
        return [
            record(customer, purpose=purpose, channel=channel, source=source, by=by)
            for channel in channels
        ]


def consents_of(customer: Customer) -> list[Consent]:
    """The consent in force per purpose and channel (`selectors.consents_of`)."""
    return selectors.consents_of(customer)


def record_data_request(*, customer: Customer, kind: str, by: Staff) -> DataRequest:
    """The audit row of an export: who took the couple's data out, and when."""
    if kind not in (DataRequest.Kind.EXPORT_JSON, DataRequest.Kind.EXPORT_PDF):
        raise ValueError(f"Not an export: {kind!r}")
    return DataRequest.objects.create(customer=customer, kind=kind, by=by)


class ErasureRefused(ValidationError):
    """The couple's data cannot be erased now; the message says why."""


ERASED = "—"
# The birthdays and wedding date go; the file keeps a name that says what happened.
ERASED_NAME = "[erased]"


def _erased_phone(customer: Customer) -> str:
    """A placeholder no phone can be: the file's constraint wants a phone, the search and
    the duplicate check must never find it."""
    return f"erased-{customer.pk}"


def erase_customer(*, customer: Customer, by: Staff, typed_name: str) -> DataRequest:
    """Erase a couple's personal data on their request (PIPL): a store manager of the
    branch, typing the couple's name as it is on the file to confirm.

    Names, phones, WeChat, address, birthdays, wedding date and notes are replaced with
    anonymised values, in the file and in its history; every consent is withdrawn; each
    stage anonymises its own rows (`signals.customer_erased`: message texts and
    addresses, call notes, ID documents) and cancels what would still reach the couple.
    Orders, charges and the ledger are kept: money records are kept by law. Refused while
    a stage holds the data (`signals.erasure_refusals`: an open order, money owed or
    held). The customer row is locked: a double submit finds the first erasure
    (AlreadyDone)."""
    if not by.is_manager or customer.branch_id not in by.branch_ids:
        raise ValidationError(_("Only a store manager of this branch can erase a customer's data."))
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        if locked.erased_at is not None:
            raise AlreadyDone(
                _("Already done: this customer's personal data was erased on %(day)s.")
                % {"day": timezone.localtime(locked.erased_at).strftime("%Y-%m-%d %H:%M")},
                code="already_erased",
            )
        if " ".join(typed_name.split()) != " ".join(str(locked).split()):
            raise ValidationError(
                {"typed_name": _("Type the couple's name exactly as on the file to confirm.")}
            )
        reasons = [
            str(reason)
            for _receiver, answer in signals.erasure_refusals.send(Customer, customer=locked)
            for reason in (answer or [])
        ]
        if reasons:
            raise ErasureRefused(
                _("The data cannot be erased yet: %(reasons)s") % {"reasons": " ".join(reasons)},
                code="refused",
            )
        for purpose, channel in {(e.purpose, e.channel) for e in locked.consent_events.all()}:
            withdraw_consent(
                locked, purpose=purpose, channel=channel, source=ConsentEvent.Source.ERASURE, by=by
            )
        now = timezone.now()
        anonymised = {
            "bride_name": ERASED_NAME if locked.bride_name or not locked.groom_name else "",
            "groom_name": ERASED_NAME if locked.groom_name and not locked.bride_name else "",
            "bride_phone": _erased_phone(locked),
            "groom_phone": "",
            "bride_birthday": None,
            "bride_birthday_is_lunar": False,
            "groom_birthday": None,
            "groom_birthday_is_lunar": False,
            "wechat": "",
            "wechat_openid": "",
            "address": "",
            "wedding_date": None,
            "notes": "",
            "erased_at": now,
        }
        # QuerySet.update: no new history row holding the old values next to the new.
        Customer.objects.filter(pk=locked.pk).update(**anonymised)
        # The file's history and the older change trail held the same data.
        locked.history.all().update(**anonymised)
        CustomerChange.objects.filter(customer=locked).update(old=ERASED, new=ERASED)
        Visit.objects.filter(customer=locked).update(reason="", compared_studios="")
        Visit.objects.filter(customer=locked).exclude(not_booked_reason="").update(
            not_booked_reason=ERASED
        )
        for key, value in anonymised.items():
            setattr(locked, key, value)
        signals.customer_erased.send(Customer, customer=locked, by=by)
        return DataRequest.objects.create(
            customer=locked, kind=DataRequest.Kind.ERASURE, by=by, at=now
        )
