"""Writes for the control sheet and the shooting day. Each is one transaction.

The Order's state changes go through orders.services.transition_order only.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followups.models import CallTask
from followups.services import close_call_tasks_for, create_call_task
from orders import services as order_services
from orders.models import LedgerEntry, Order, State
from studio import texts as studio_texts
from studio.models import Branch, Package, Staff
from studio.request_keys import done_with
from studio.services import AlreadyDone
from studio.texts import Params
from studio.validators import Amount, booking_too_far

from . import texts
from .models import (
    CalendarFeed,
    HandOff,
    OutdoorTrip,
    OutfitKind,
    PlannedSet,
    ResourceBooking,
    Room,
    Shoot,
    ShootVisit,
    Step,
    Vehicle,
)
from .selectors import CALL_POINTS, SEAT_ROLES, budgets_for, confirmation_occasion
from .texts import PRECAUTIONS  # noqa: F401 - pages and sheets print them too

ZERO = Decimal("0.00")


class DoubleBooking(ValidationError):
    """A person, room or vehicle is already booked for part of the time."""


# --- The outfit plan ---


def default_sets(package: Package) -> list[str]:
    """White gown first, then evening dresses, then specialty costumes, one per outfit."""
    first: list[str] = [OutfitKind.WHITE_GOWN, OutfitKind.EVENING_DRESS]
    count = max(package.outfits, 1)
    return (first + [OutfitKind.SPECIALTY] * count)[:count]


def plan_timeline(
    *, branch: Branch, sets: Iterable[str], outdoor: bool = False
) -> list[tuple[str, int]]:
    """The day's plan: (step, minutes) from makeup to removing makeup (DOMAIN.md, stage 3)."""
    budgets = budgets_for(branch)
    lines: list[tuple[str, int]] = [
        (Step.DRESS, budgets[Step.DRESS]),
        (Step.MAKEUP, budgets[Step.MAKEUP]),
    ]
    for i, kind in enumerate(sets):
        if i:
            lines.append((Step.CHANGE, budgets[Step.CHANGE]))
            lines.append((Step.RE_MAKEUP, budgets[Step.RE_MAKEUP]))
        lines.append((OutfitKind(kind), budgets[str(kind)]))
    if outdoor:
        lines.append((Step.OUTDOOR, budgets[Step.OUTDOOR]))
    lines.append((Step.FINISH, budgets[Step.FINISH]))
    lines.append((Step.REMOVE_MAKEUP, budgets[Step.REMOVE_MAKEUP]))
    return lines


# --- Booking ---


def _resource_label(key: str, names: Mapping[str, str]) -> str:
    return names.get(key, key)


def _check_free(
    *, keys: Sequence[str], starts_at: datetime, ends_at: datetime, names: Mapping[str, str]
) -> None:
    clashes = ResourceBooking.objects.filter(
        resource__in=keys, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("shoot__order")
    messages = [
        _("%(who)s is already booked %(from)s–%(to)s (order %(order)s).")
        % {
            "who": _resource_label(b.resource, names),
            "from": date_format(timezone.localtime(b.starts_at), "SHORT_DATETIME_FORMAT"),
            "to": date_format(timezone.localtime(b.ends_at), "TIME_FORMAT"),
            "order": b.shoot.order.number,
        }
        for b in clashes.order_by("starts_at")
    ]
    if messages:
        raise DoubleBooking(messages)


def _book_resources(
    *, shoot: Shoot, people: Iterable[Staff], room: Room | None, vehicle: Vehicle | None
) -> None:
    names = {f"staff:{p.pk}": p.display_name for p in people}
    if room is not None:
        names[f"room:{room.pk}"] = room.name
    if vehicle is not None:
        names[f"vehicle:{vehicle.pk}"] = vehicle.name
    keys = sorted(names)
    _check_free(
        keys=keys,
        starts_at=shoot.starts_at,
        ends_at=shoot.ends_at,
        names=names,
    )
    try:
        with transaction.atomic():
            ResourceBooking.objects.bulk_create(
                [
                    ResourceBooking(
                        shoot=shoot, resource=k, starts_at=shoot.starts_at, ends_at=shoot.ends_at
                    )
                    for k in keys
                ]
            )
    except IntegrityError as exc:
        # Someone booked the same person or room a moment ago: the database said no.
        if "no_double_booking" not in str(exc):
            raise
        _check_free(keys=keys, starts_at=shoot.starts_at, ends_at=shoot.ends_at, names=names)
        raise DoubleBooking(_("Someone else just booked one of these; choose again.")) from exc


def _validate_people(*, branch: Branch, seats: Mapping[str, Staff | None]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for seat, person in seats.items():
        if person is None:
            continue
        if branch.pk not in person.branch_ids or not person.has_role(SEAT_ROLES[seat]):
            errors[seat] = _("%(name)s does not work as %(seat)s at this branch.") % {
                "name": person.display_name,
                "seat": cast(Any, Shoot._meta.get_field(seat)).verbose_name,
            }
    return errors


def book_shoot(
    *,
    order: Order,
    starts_at: datetime,
    by: Staff,
    photographer: Staff | None = None,
    assistant: Staff | None = None,
    makeup_artist: Staff | None = None,
    dress_stylist: Staff | None = None,
    driver: Staff | None = None,
    room: Room | None = None,
    vehicle: Vehicle | None = None,
    sets: Iterable[str] | None = None,
    note: str = "",
    short_notice_confirmed: bool = False,
    request_key: str | None = None,
    now: datetime | None = None,
) -> Shoot:
    """Put a shoot on the control sheet and hold its people, room and vehicle.

    A first booking fires the order's `schedule`; when the order already has a planned
    shoot, that one is kept as "moved" and the order is `reschedule`d. Nobody is ever
    booked twice for overlapping time (PostgreSQL exclusion constraint; the check here
    names what clashes). Appointments under STUDIO_MIN_BOOKING_LEAD_DAYS days ahead need
    `short_notice_confirmed` (DOMAIN.md: appointments at least 7 days ahead).
    `by` is the staff member booking; `sets` a list of OutfitKind values (default: from
    the package). Returns the new Shoot. With a `request_key` (the form's), the same form
    sent again returns the shoot it booked, instead of moving it to an identical new one.
    """
    if request_key and (done := booked_with(order=order, request_key=request_key)):
        return done
    now = now or timezone.now()
    branch = order.branch
    seats = {
        "photographer": photographer,
        "assistant": assistant,
        "makeup_artist": makeup_artist,
        "dress_stylist": dress_stylist,
        "driver": driver,
    }
    errors = _validate_people(branch=branch, seats=seats)
    if starts_at <= now:
        errors["starts_at"] = _("Choose a time in the future.")
    elif too_far := booking_too_far(starts_at, branch=branch):
        errors["starts_at"] = too_far
    elif (
        starts_at - now < timedelta(days=settings.STUDIO_MIN_BOOKING_LEAD_DAYS)
        and not short_notice_confirmed
    ):
        errors["short_notice_confirmed"] = _(
            "This appointment is less than %(days)s days ahead: confirm it is wanted."
        ) % {"days": settings.STUDIO_MIN_BOOKING_LEAD_DAYS}
    if photographer is None:
        errors["photographer"] = _("Choose a photographer.")
    if room is not None and room.branch_id != branch.pk:
        errors["room"] = _("This room belongs to another branch.")
    if vehicle is not None and vehicle.branch_id != branch.pk:
        errors["vehicle"] = _("This vehicle belongs to another branch.")
    if room is not None and room.is_outdoor and (vehicle is None or driver is None):
        errors["vehicle"] = _("An outdoor plan needs a vehicle and a driver.")
    if errors:
        raise ValidationError(errors)
    sets = list(sets or default_sets(order.package))
    timeline = plan_timeline(
        branch=branch, sets=sets, outdoor=bool(room and room.is_outdoor) or vehicle is not None
    )
    ends_at = starts_at + timedelta(minutes=sum(m for _s, m in timeline))

    with transaction.atomic():
        # One booking at a time per branch: the check below then sees every earlier one.
        # FOR NO KEY UPDATE: bookings queue up, while rows that merely point at the branch
        # (a payment's ledger entry, a new order) are still written meanwhile.
        Branch.objects.select_for_update(no_key=True).get(pk=branch.pk)
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if request_key and (done := booked_with(order=order, request_key=request_key)):
            # Sent twice at once: the second waited for the locks, and finds the first's.
            return done
        if locked.state not in (State.BOOKED, State.SCHEDULED):
            raise ValidationError(
                _("This order is %(state)s: its shoot cannot be booked now.")
                % {"state": locked.get_state_display()}
            )
        previous = (
            Shoot.objects.select_for_update()
            .filter(order=locked, status=Shoot.Status.PLANNED)
            .first()
        )
        shoot = Shoot.objects.create(
            order=locked,
            branch=branch,
            starts_at=starts_at,
            ends_at=ends_at,
            moved_from=previous,
            note=note,
            created_by=by,
            room=room,
            vehicle=vehicle,
            request_key=request_key,
            **seats,
        )
        if previous is not None:
            # The moved shoot gives its time back first, so a move may overlap it.
            previous.bookings.all().delete()
        people = [p for p in seats.values() if p is not None]
        _book_resources(shoot=shoot, people=people, room=room, vehicle=vehicle)
        PlannedSet.objects.bulk_create(
            PlannedSet(shoot=shoot, position=i, step=step, minutes=minutes)
            for i, (step, minutes) in enumerate(timeline)
        )
        if previous is not None:
            previous.status = Shoot.Status.MOVED
            previous.save(update_fields=["status"])
            # Its calls name the old date; the planner calls about the new one.
            cancel_open_confirmation_calls(order=locked)
        name = "schedule" if locked.state == State.BOOKED else "reschedule"
        order_services.transition_order(order=locked, name=name, by=by.user, note=note)
    order.refresh_from_db()
    return shoot


def booked_with(*, order: Order, request_key: str) -> Shoot | None:
    """The shoot of `order` that the booking form with this key booked, if it did."""
    return done_with(Shoot.objects.filter(order=order), request_key)


def cancel_shoot(*, shoot: Shoot, by: Staff) -> Shoot:
    """Take a planned shoot off the sheet and give its people and rooms back."""
    with transaction.atomic():
        locked = Shoot.objects.select_for_update().get(pk=shoot.pk)
        if locked.status != Shoot.Status.PLANNED:
            raise ValidationError(_("Only a planned shoot can be taken off the sheet."))
        locked.bookings.all().delete()
        locked.status = Shoot.Status.CANCELLED
        locked.save(update_fields=["status"])
        cancel_open_confirmation_calls(order=locked.order)
    return locked


# --- The shooting day ---


def _locked(shoot: Shoot, *statuses: str, done: Iterable[str] = ()) -> Shoot:
    """The shoot, locked, in one of `statuses`. In one of `done` the action was just taken
    by someone else: they are told so (AlreadyDone), with the state it is in now."""
    locked = (
        Shoot.objects.select_for_update(of=("self",))
        .select_related("order", "branch")
        .get(pk=shoot.pk)
    )
    if locked.status in done:
        raise AlreadyDone(
            _("Already done: this shoot is %(status)s.") % {"status": locked.get_status_display()}
        )
    if statuses and locked.status not in statuses:
        raise ValidationError(
            _("This shoot is %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


def check_in(
    *,
    shoot: Shoot,
    by: Staff,
    locker_key: str = "",
    deposit_method: str = LedgerEntry.Method.CASH,
    balance_method: str | None = None,
    briefed: bool = False,
    now: datetime | None = None,
) -> Shoot:
    """The couple arrived (check_in): on the shoot's date, and paid when the branch says so.

    With `balance_method` the balance still due is taken right there first. A locker key is
    given against the branch's refundable deposit (a ledger hold).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(
            shoot, Shoot.Status.PLANNED, done=(Shoot.Status.CHECKED_IN, Shoot.Status.FINISHED)
        )
        order = locked.order
        if balance_method and order.balance_due > ZERO:
            order_services.take_payment(
                order=order,
                kind=LedgerEntry.Kind.BALANCE,
                method=balance_method,
                amount=order.balance_due,
                staff=by,
                note=texts.TAKEN_AT_CHECK_IN(),
            )
        order_services.transition_order(order=order, name="check_in", by=by.user)
        if locker_key:
            order_services.take_hold(
                order=order,
                kind=LedgerEntry.Kind.LOCKER_DEPOSIT,
                method=deposit_method,
                amount=locked.branch.locker_deposit,
                staff=by,
                note=texts.LOCKER_KEY(key=locker_key),
            )
        late = int((now - locked.starts_at).total_seconds() // 60)
        locked.status = Shoot.Status.CHECKED_IN
        locked.checked_in_at = now
        locked.late_minutes = max(late, 0)
        locked.locker_key = locker_key
        locked.briefed_at = now if briefed else None
        locked.save()
    return locked


def mark_briefed(*, shoot: Shoot, by: Staff, now: datetime | None = None) -> Shoot:
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.CHECKED_IN)
        locked.briefed_at = now or timezone.now()
        locked.save(update_fields=["briefed_at"])
    return locked


def hand_off(
    *,
    shoot: Shoot,
    to_staff: Staff | None,
    by: Staff,
    step: str | None = None,
    plan_line: PlannedSet | None = None,
    now: datetime | None = None,
) -> HandOff:
    """One tap: the couple moves to a station in `to_staff`'s hands (手把手).

    Give the `plan_line` reached (its station follows) or a bare `step`. Only people booked
    on this shoot can receive the couple; the hand-off records who had them before.
    """
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.CHECKED_IN)
        if to_staff is not None and to_staff.pk not in locked.staff_ids():
            raise ValidationError(
                _("%(name)s is not on this shoot: hand the couple to someone who is.")
                % {"name": to_staff.display_name}
            )
        if plan_line is not None:
            if plan_line.shoot_id != locked.pk:
                raise ValidationError(_("That step is not in this shoot's plan."))
            step = plan_line.station
        if step is None:
            raise ValidationError(_("Say which station the couple goes to."))
        last = locked.handoffs.select_related("to_staff").order_by("-at", "-pk").first()
        if (
            last is not None
            and last.to_staff_id == getattr(to_staff, "pk", None)
            and last.step == step
            and last.plan_line_id == getattr(plan_line, "pk", None)
        ):
            # The same tap twice (two tablets, or a double tap): one hand-off.
            raise AlreadyDone(
                _("Already done: the couple is already at %(step)s with %(name)s.")
                % {
                    "step": Step(step).label,
                    "name": last.to_staff.display_name if last.to_staff else "—",
                }
            )
        return HandOff.objects.create(
            shoot=locked,
            step=Step(step),
            plan_line=plan_line,
            from_staff=last.to_staff if last else None,
            to_staff=to_staff,
            at=now or timezone.now(),
            recorded_by=by,
        )


def _clock(moment: datetime, shoot: Shoot) -> str:
    return timezone.localtime(moment, shoot.branch.tzinfo).strftime("%H:%M")


def depart_outdoor(
    *,
    shoot: Shoot,
    by: Staff,
    vehicle: Vehicle | None = None,
    driver: Staff | None = None,
    now: datetime | None = None,
) -> OutdoorTrip:
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.CHECKED_IN)
        vehicle = vehicle or locked.vehicle
        driver = driver or locked.driver
        if vehicle is None or driver is None:
            raise ValidationError(_("An outdoor trip needs a vehicle and a driver."))
        out = locked.trips.select_related("driver").filter(returned_at__isnull=True).first()
        if out is not None:
            raise AlreadyDone(
                _("Already done: the couple left at %(time)s with %(driver)s.")
                % {"time": _clock(out.departed_at, locked), "driver": out.driver.display_name}
            )
        trip = OutdoorTrip.objects.create(
            shoot=locked, vehicle=vehicle, driver=driver, departed_at=now or timezone.now()
        )
        line = locked.plan.filter(step=Step.OUTDOOR).first()
        hand_off(shoot=locked, step=Step.OUTDOOR, plan_line=line, to_staff=driver, by=by, now=now)
    return trip


def return_outdoor(*, shoot: Shoot, by: Staff, now: datetime | None = None) -> OutdoorTrip:
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.CHECKED_IN)
        trip = locked.trips.select_for_update().filter(returned_at__isnull=True).first()
        if trip is None:
            back = locked.trips.order_by("-returned_at").first()
            if back is not None:
                raise AlreadyDone(
                    _("Already done: the couple came back at %(time)s.")
                    # No trip is out, so every trip has come back.
                    % {"time": _clock(cast(datetime, back.returned_at), locked)}
                )
            raise ValidationError(_("This couple is not out on a trip."))
        trip.returned_at = now or timezone.now()
        trip.save(update_fields=["returned_at"])
    return trip


def finish_shoot(
    *,
    shoot: Shoot,
    by: Staff,
    key_returned: bool | None = None,
    deposit_method: str = LedgerEntry.Method.CASH,
    keep: Amount = ZERO,
    keep_reason: str = "",
    now: datetime | None = None,
) -> Shoot:
    """The shoot is done (finish_shoot). While a locker deposit is held, whoever finishes
    must say whether the key came back: back, the deposit is refunded (less `keep`, with a
    reason); not back, the whole deposit is kept, with a reason. Never a silent default."""
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.CHECKED_IN, done=(Shoot.Status.FINISHED,))
        order = locked.order
        held = order.hold_outstanding(LedgerEntry.Kind.LOCKER_DEPOSIT)
        if held > ZERO:
            if key_returned is None:
                raise ValidationError({"key_returned": _("Say whether the locker key came back.")})
            if not key_returned:
                keep = held
                if not keep_reason:
                    raise ValidationError({"keep_reason": _("Say why the key did not come back.")})
            order_services.return_hold(
                order=order,
                kind=LedgerEntry.Kind.LOCKER_DEPOSIT,
                method=deposit_method,
                staff=by,
                keep=keep,
                keep_reason=keep_reason,
            )
        order_services.transition_order(order=order, name="finish_shoot", by=by.user)
        locked.status = Shoot.Status.FINISHED
        locked.finished_at = now or timezone.now()
        locked.save(update_fields=["status", "finished_at"])
    return locked


def record_visit(
    *, shoot: Shoot, visitor: Staff, note: str = "", now: datetime | None = None
) -> ShootVisit:
    """探班: the owner or the selection consultant looked in on the couple."""
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.CHECKED_IN)
        return ShootVisit.objects.create(
            shoot=locked, visitor=visitor, note=note, at=now or timezone.now()
        )


def mark_no_show(*, shoot: Shoot, by: Staff, now: datetime | None = None) -> Shoot:
    """The couple did not come: their people are freed and the owner gets a call task."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.PLANNED, done=(Shoot.Status.NO_SHOW,))
        if locked.starts_at > now:
            raise ValidationError(_("The appointment has not started yet."))
        locked.bookings.all().delete()
        locked.status = Shoot.Status.NO_SHOW
        locked.save(update_fields=["status"])
        cancel_open_confirmation_calls(order=locked.order)
        order = locked.order
        create_call_task(
            customer=order.customer,
            order=order,
            assignee=order.owner,
            kind=CallTask.Kind.NO_SHOW,
            due_at=now,
            occasion=f"shoot-no-show:{locked.pk}",
            script=texts.NO_SHOW(
                when=studio_texts.datetime(
                    timezone.localtime(locked.starts_at, locked.branch.tzinfo)
                )
            ),
        )
    return locked


def record_late_start(*, shoot: Shoot, minutes: int, by: Staff) -> Shoot:
    """A late start shifts the day's plan; the pages show who else it touches."""
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.PLANNED, Shoot.Status.CHECKED_IN)
        locked.late_minutes = minutes
        locked.save(update_fields=["late_minutes"])
    return locked


# How a confirmation outcome closes the shoot's open confirmation call tasks.
CALL_STATUS_FOR: dict[str, str] = {
    Shoot.Confirmation.CONFIRMED: CallTask.Status.DONE,
    Shoot.Confirmation.RESCHEDULE: CallTask.Status.DONE,
    Shoot.Confirmation.NO_ANSWER: CallTask.Status.FAILED,
}


def record_confirmation(*, shoot: Shoot, outcome: str, by: Staff) -> Shoot:
    """What the customer said on the confirmation call. The shoot's open confirmation call
    tasks close with it, so nobody calls a couple who already confirmed."""
    if outcome not in Shoot.Confirmation.values:
        raise ValidationError(_("Choose what the customer said."))
    with transaction.atomic():
        locked = _locked(shoot, Shoot.Status.PLANNED)
        locked.confirmation = outcome
        locked.save(update_fields=["confirmation"])
        if outcome in CALL_STATUS_FOR:
            close_call_tasks_for(
                occasions=[confirmation_occasion(locked, label) for label, _a in CALL_POINTS],
                status=CALL_STATUS_FOR[outcome],
                outcome=texts.CONFIRMATION_ANSWER(
                    answer=studio_texts.choice(Shoot.Confirmation(outcome))
                ),
                by=by,
            )
    return locked


def set_look(*, line: PlannedSet, look: str | None, by: Staff) -> PlannedSet:
    """The look of one outfit set (e.g. "森系 Forest"), which the tablets show.

    Only outfit lines have a look, and only while the shoot is planned or under way.
    """
    look = (look or "").strip()
    with transaction.atomic():
        locked = _locked(line.shoot, Shoot.Status.PLANNED, Shoot.Status.CHECKED_IN)
        line = PlannedSet.objects.select_for_update().get(pk=line.pk, shoot=locked)
        if not line.is_outfit:
            raise ValidationError({"look": _("Only an outfit set has a look.")})
        line.look = look
        line.full_clean(validate_unique=False, validate_constraints=False)
        line.save(update_fields=["look"])
    return line


# --- Before the day ---


EARLY_FOR_BALANCE_MINUTES = 20


def arrival_time(shoot: Shoot, balance_due: Decimal | None = None) -> datetime:
    """When to tell the couple to come: 20 minutes early when a balance is still due."""
    balance_due = shoot.order.balance_due if balance_due is None else balance_due
    if balance_due > ZERO:
        return shoot.starts_at - timedelta(minutes=EARLY_FOR_BALANCE_MINUTES)
    return shoot.starts_at


def confirmation_script(shoot: Shoot) -> tuple[str, Params]:
    """What the caller says, as (kind, params) of studio.texts: shown in the customer's
    language whoever reads it, since the call is made in that language."""
    tz = shoot.branch.tzinfo
    words = texts.CONFIRM_BALANCE_DUE if shoot.order.balance_due > ZERO else texts.CONFIRM
    return words(
        when=studio_texts.date(timezone.localtime(shoot.starts_at, tz).date()),
        arrive=studio_texts.datetime(timezone.localtime(arrival_time(shoot), tz), "H:i"),
    )


def plan_confirmation_calls(*, now: datetime | None = None) -> int:
    """7 days and 1 day before each planned shoot, a confirmation call on the owner's list.

    One open confirmation call per order at a time (a database constraint says so): the
    call of the nearest point reached is planned, and an earlier one still open is
    cancelled as superseded, so a shoot booked 20 hours ahead, or a 7-day call nobody made,
    never puts two identical calls on the list. Idempotent: each call has its occasion
    ("shoot-confirm-7d:<shoot>"), so running it every 15 minutes, or twice, creates each
    call once. Returns how many shoots have their call planned.
    """
    now = now or timezone.now()
    shoots = Shoot.objects.filter(
        status=Shoot.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + timedelta(days=7)
    ).select_related("order__customer", "order__owner", "branch")
    planned: dict[str, tuple[Shoot, timedelta]] = {}
    for shoot in shoots:
        reached = [(label, ahead) for label, ahead in CALL_POINTS if shoot.starts_at - now <= ahead]
        if reached:
            label, ahead = min(reached, key=lambda point: point[1])
            planned[confirmation_occasion(shoot, label)] = (shoot, ahead)
    # Read at once what is planned already: a shoot whose call exists, with no other open
    # confirmation call on its order, has nothing to do (every run but the first).
    made_before = set(
        CallTask.objects.filter(occasion__in=list(planned)).values_list("occasion", flat=True)
    )
    open_calls = CallTask.objects.filter(
        order__in=[shoot.order_id for shoot, _ahead in planned.values()],
        kind=CallTask.Kind.SHOOT_CONFIRM,
        status=CallTask.Status.OPEN,
    ).values_list("order_id", "occasion")
    still_open: dict[int, set[str]] = {}
    for order_id, open_occasion in open_calls:
        still_open.setdefault(order_id, set()).add(open_occasion)
    made = 0
    for occasion, (shoot, ahead) in planned.items():
        made += 1
        if occasion in made_before and still_open.get(shoot.order_id, set()) <= {occasion}:
            continue
        with transaction.atomic():
            cancel_open_confirmation_calls(order=shoot.order, keep=occasion)
            create_call_task(
                customer=shoot.order.customer,
                order=shoot.order,
                assignee=shoot.order.owner,
                kind=CallTask.Kind.SHOOT_CONFIRM,
                due_at=max(shoot.starts_at - ahead, now),
                occasion=occasion,
                script=confirmation_script(shoot),
            )
    return made


def cancel_open_confirmation_calls(*, order: Order, keep: str | None = None) -> int:
    """The order's open shoot-confirmation calls, but `keep`, are cancelled: superseded by a
    nearer call, or their shoot was moved, cancelled or missed."""
    tasks = CallTask.objects.select_for_update().filter(
        order=order, kind=CallTask.Kind.SHOOT_CONFIRM, status=CallTask.Status.OPEN
    )
    if keep:
        tasks = tasks.exclude(occasion=keep)
    return tasks.update(status=CallTask.Status.CANCELLED, done_at=timezone.now())


def calendar_feed_for(staff: Staff) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(staff=staff)
    return feed


def reset_calendar_feed(*, staff: Staff) -> CalendarFeed:
    """A new private address; the old one stops working."""
    with transaction.atomic():
        CalendarFeed.objects.filter(staff=staff).delete()
        return CalendarFeed.objects.create(staff=staff)
