"""Writes for the pickup control sheet and the hand-over (DOMAIN.md, stage 6). Each is
one transaction: the day-before check, the slip at the desk (or the lost-slip memo), the
items handed over (or a partial pickup memo and a new appointment), the third sale, the
survey, and the delivery.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from followups.models import CallTask, CareRule
from followups.services import create_call_task
from orders import services as orders
from orders.models import Charge, LedgerEntry, Order, State
from rentals.models import DressReservation
from selection import services as production
from selection import texts as selection_texts
from selection.models import PriceItem, ProductionItem
from studio import roles
from studio import texts as studio_texts
from studio.models import Branch, Staff
from studio.request_keys import done_with
from studio.texts import Params
from studio.validators import booking_too_far, normalise_id_document

from . import texts
from .models import (
    ItemCheck,
    LostSlipMemo,
    PartialPickupMemo,
    PickupAppointment,
    SlipSequence,
    Survey,
)

BOOKABLE = (State.IN_PRODUCTION, State.READY)


def _next_slip_number(branch: Branch) -> str:
    """Unique per branch and without gaps: the counter row is locked until commit."""
    SlipSequence.objects.get_or_create(branch=branch)
    seq = SlipSequence.objects.select_for_update().get(branch=branch)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{branch.code.upper()}-P{seq.last:06d}"


def book_pickup(
    *,
    order: Order,
    starts_at: datetime,
    by: Staff,
    clerk: Staff | None = None,
    note: str = "",
    now: datetime | None = None,
    request_key: str | None = None,
) -> PickupAppointment:
    """Book (or move) the time a couple collects their order, and issue the pickup slip.

    Only an order in production or ready can be booked, and only for a time in the future.
    A booked appointment the order already has is kept as "moved"; the new one gets a new
    slip number. `clerk`, when given, must be a pickup clerk at the order's branch. With a
    `request_key` (the form's), the same form sent again returns the first booking.
    """
    if existing := done_with(PickupAppointment.objects.filter(order=order), request_key):
        return existing
    now = now or timezone.now()
    errors: dict[str, Any] = {}
    if starts_at <= now:
        errors["starts_at"] = _("Choose a time in the future.")
    elif too_far := booking_too_far(starts_at, branch=order.branch):
        errors["starts_at"] = too_far
    if clerk is not None and (
        order.branch_id not in clerk.branch_ids or not clerk.has_role(roles.PICKUP_CLERK)
    ):
        errors["clerk"] = _("%(name)s is not a pickup clerk at this branch.") % {
            "name": clerk.display_name
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",)).select_related("branch").get(pk=order.pk)
        )
        if locked.state not in BOOKABLE:
            raise ValidationError(
                _("This order is %(state)s: a pickup is booked once it is in production.")
                % {"state": locked.get_state_display()}
            )
        # The same form sent twice at once: the second waited for the order's lock.
        if existing := done_with(PickupAppointment.objects.filter(order=locked), request_key):
            return existing
        PickupAppointment.objects.filter(
            order=locked, status=PickupAppointment.Status.BOOKED
        ).update(status=PickupAppointment.Status.MOVED)
        return PickupAppointment.objects.create(
            order=locked,
            branch=locked.branch,
            starts_at=starts_at,
            clerk=clerk,
            note=note,
            slip_number=_next_slip_number(locked.branch),
            created_by=by,
            request_key=request_key or None,
        )


# --- The hand-over (DOMAIN.md, stage 6) ---


def _locked_appointment(appointment: PickupAppointment) -> tuple[Order, PickupAppointment]:
    """Lock the order, then the appointment: every hand-over write of one order queues up."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("branch", "customer")
        .get(pk=appointment.order_id)
    )
    locked = PickupAppointment.objects.select_for_update().get(pk=appointment.pk)
    locked.order = order
    return order, locked


def _open(locked: PickupAppointment) -> None:
    if locked.status != PickupAppointment.Status.BOOKED:
        raise ValidationError(
            _("This pickup is %(status)s.") % {"status": locked.get_status_display()}
        )


def notice_script(appointment: PickupAppointment) -> tuple[str, Params]:
    """The pickup notice read to the couple, as (kind, params): in their language."""
    return texts.NOTICE(
        order=appointment.order.number,
        time=studio_texts.datetime(
            timezone.localtime(appointment.starts_at, appointment.branch.tzinfo), "H:i"
        ),
        slip=appointment.slip_number,
    )


def care_rule_gives_notice() -> bool:
    """A care rule on "ready, pickup booked" that makes a call already gives the notice."""
    return CareRule.objects.filter(
        trigger=CareRule.Trigger.READY_FOR_PICKUP, action=CareRule.Action.CALL, is_active=True
    ).exists()


def check_items(
    *,
    order: Order,
    by: Staff,
    results: Mapping[int, tuple[str, str | None]],
    now: datetime | None = None,
) -> list[ProductionItem]:
    """The day before: every item of the order counted and checked. `results` maps each
    item's id to (result, note); the order's booked pickup is the one checked for; a spot, damage or error needs a note and sends the item
    back to rework, so the order can't be delivered until it passes QC again.

    When everything passed, the owner gets the call "come tomorrow, bring the pickup slip,
    bring a helper for large items", unless an active care rule already makes that call.
    Returns the items sent back.
    """
    now = now or timezone.now()
    appointment = order.pickups.filter(status=PickupAppointment.Status.BOOKED).first()
    if appointment is None:
        raise ValidationError(_("Book the pickup first: the check is for its appointment."))
    items = list(ProductionItem.objects.filter(order=order, handed_over_at=None))
    errors: dict[str, Any] = {}
    for item in items:
        result, note = results.get(item.pk, ("", ""))
        if result not in ItemCheck.Result.values:
            errors[f"item_{item.pk}"] = _("Check this item.")
        elif result != ItemCheck.Result.OK and not (note or "").strip():
            errors[f"item_{item.pk}"] = _("Say what is wrong, so rework knows what to fix.")
    if not items:
        errors["__all__"] = _("There is nothing left to check for this order.")
    if errors:
        raise ValidationError(errors)
    failed: list[ProductionItem] = []
    with transaction.atomic():
        order, locked = _locked_appointment(appointment)
        _open(locked)
        for item in items:
            result, note = results[item.pk]
            note = (note or "").strip()[:200]
            ItemCheck.objects.create(
                appointment=locked, item=item, result=result, note=note, by=by, at=now
            )
            if result != ItemCheck.Result.OK:
                found = texts.CHECK_FOUND(
                    result=studio_texts.choice(ItemCheck.Result(result)), note=note
                )
                production.send_back_to_rework(item=item, reason=found, by=by, now=now)
                failed.append(item)
        locked.checked_at = None if failed else now
        locked.save(update_fields=["checked_at"])
        if not failed and not care_rule_gives_notice():
            create_call_task(
                customer=order.customer,
                order=order,
                kind=CallTask.Kind.PICKUP_NOTICE,
                due_at=now,
                occasion=f"pickup-notice:{locked.pk}",
                script=notice_script(locked),
            )
    return failed


def verify_slip(
    *,
    appointment: PickupAppointment,
    by: Staff,
    slip_number: str | None = None,
    lost_slip_id_type: str | None = None,
    lost_slip_id_number: str | None = None,
    now: datetime | None = None,
) -> LostSlipMemo | None:
    """At the desk: the pickup slip's number must match. A lost slip needs an ID document
    (type and number) and gives a lost-slip memo the customer signs. Returns the memo, or
    None when the slip was shown."""
    now = now or timezone.now()
    slip_number = (slip_number or "").strip().upper()
    id_number = (lost_slip_id_number or "").strip()
    memo = None
    with transaction.atomic():
        _order, locked = _locked_appointment(appointment)
        _open(locked)
        if slip_number:
            if slip_number != locked.slip_number.upper():
                raise ValidationError(
                    {"slip_number": _("This is not the slip number of this pickup.")}
                )
        else:
            errors: dict[str, Any] = {}
            if lost_slip_id_type not in DressReservation.IdType.values:
                errors["lost_slip_id_type"] = _(
                    "Without the slip, the customer shows an ID document: choose its type."
                )
            if not id_number:
                errors["lost_slip_id_number"] = _("Write the ID document's number.")
            elif lost_slip_id_type in DressReservation.IdType.values:
                try:
                    id_number = normalise_id_document(lost_slip_id_type, id_number)
                except ValidationError as exc:
                    errors["lost_slip_id_number"] = exc.messages
            if errors:
                raise ValidationError(errors)
            memo = LostSlipMemo.objects.create(
                appointment=locked,
                order=locked.order,
                id_type=cast(str, lost_slip_id_type),  # checked above
                id_number=id_number[:40],
                signed_at=now,
                by=by,
            )
        locked.slip_verified_at = now
        locked.slip_verified_by = by
        locked.save(update_fields=["slip_verified_at", "slip_verified_by"])
    return memo


def hand_over(
    *,
    appointment: PickupAppointment,
    item_ids: Iterable[int | str],
    by: Staff,
    rest_at: datetime | None = None,
    now: datetime | None = None,
) -> PartialPickupMemo | None:
    """Count the items one by one against the production list: the ones in `item_ids` are
    handed over. The slip must be verified and the balance paid first. Items left out make a
    partial pickup memo (取件备忘录) with the date for the rest, and a new appointment then
    (by default a week later at the same time). Returns the memo or None."""
    now = now or timezone.now()
    wanted = {int(i) for i in item_ids}
    with transaction.atomic():
        order, locked = _locked_appointment(appointment)
        _open(locked)
        if not locked.slip_verified_at:
            raise ValidationError(_("Check the pickup slip (or the lost-slip memo) first."))
        if order.balance_due > 0:
            raise ValidationError(_("The balance must be paid before anything is handed over."))
        remaining = list(
            ProductionItem.objects.filter(order=order, handed_over_at=None).order_by("pk")
        )
        given = [i for i in remaining if i.pk in wanted]
        if not given:
            raise ValidationError({"items": _("Tick the items the customer takes today.")})
        production.mark_handed_over(items=given, by=by, now=now)
        rest = [i for i in remaining if i.pk not in wanted]
        if not rest:
            return None
        rest_at = rest_at or locked.starts_at + timedelta(days=7)
        if rest_at <= now:
            raise ValidationError({"rest_at": _("Choose a time in the future.")})
        if too_far := booking_too_far(rest_at, branch=locked.order.branch):
            raise ValidationError({"rest_at": too_far})
        locked.status = PickupAppointment.Status.DONE
        locked.save(update_fields=["status"])
        following = PickupAppointment.objects.create(
            order=order,
            branch=order.branch,
            starts_at=rest_at,
            clerk=locked.clerk,
            note_kind=texts.REST_OF_PARTIAL.kind,
            slip_number=_next_slip_number(order.branch),
            created_by=by,
        )
        memo = PartialPickupMemo.objects.create(
            appointment=locked, order=order, rest_at=rest_at, next_appointment=following, by=by
        )
        memo.items.set(rest)
    return memo


# The third sale (第三次销售): what the desk may offer from the branch's price list.
EXTRAS = ("extra_photo", "frame", "enlargement")


def extras(*, branch: Branch) -> QuerySet[PriceItem]:
    """The price list's lines the desk offers at pickup: leftover photos, frames, prints."""
    return production.price_list(branch=branch).filter(product__in=EXTRAS)


def sell_extra(
    *,
    appointment: PickupAppointment,
    price_item: PriceItem,
    quantity: int,
    method: str,
    by: Staff,
    request_key: str | None = None,
) -> LedgerEntry:
    """The third sale, voluntary: the customer buys an extra at the desk. It is charged as
    a pickup upsell and paid at once, in one transaction (a refused payment keeps nothing).
    Never required for the hand-over or the delivery."""
    if price_item.branch_id != appointment.branch_id or price_item.product not in EXTRAS:
        raise ValidationError({"price_item": _("Choose an extra from this branch's list.")})
    if not price_item.is_active:
        raise ValidationError({"price_item": _("This extra is no longer on sale.")})
    if not quantity or quantity < 1:
        raise ValidationError({"quantity": _("At least one.")})
    if method not in LedgerEntry.Method.values:
        raise ValidationError({"method": _("Choose how the customer pays.")})
    if existing := done_with(LedgerEntry.objects, request_key):
        return existing
    amount = price_item.price * quantity
    if amount <= Decimal("0"):
        raise ValidationError({"price_item": _("This extra has no price.")})
    with transaction.atomic():
        _order, locked = _locked_appointment(appointment)
        # The same form sent twice at once: the second waited for the lock and finds the
        # first one's sale, instead of charging the extra again.
        if existing := done_with(LedgerEntry.objects, request_key):
            return existing
        _open(locked)
        description = selection_texts.LINE(item=price_item.label_param(), count=quantity)
        orders.add_charge(
            order=locked.order,
            kind=Charge.Kind.PICKUP_UPSELL,
            amount=amount,
            description=description,
            staff=by,
        )
        return orders.take_payment(
            order=locked.order,
            kind=LedgerEntry.Kind.PICKUP_UPSELL,
            method=method,
            amount=amount,
            staff=by,
            note=description,
            request_key=request_key,
        )


def record_survey(
    *,
    order: Order,
    score: int,
    by: Staff,
    comments: str | None = "",
    would_refer: bool = False,
    now: datetime | None = None,
) -> Survey:
    """The satisfaction survey at pickup: once per order (a second submit changes nothing)."""
    if score not in range(1, 6):
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    try:
        with transaction.atomic():
            return Survey.objects.create(
                order=order,
                score=score,
                comments=(comments or "").strip(),
                would_refer=bool(would_refer),
                by=by,
                created_at=now or timezone.now(),
            )
    except IntegrityError:
        return Survey.objects.get(order=order)


def complete_pickup(*, appointment: PickupAppointment, by: Staff) -> PickupAppointment:
    """The customer signs the production list as received: the order is delivered (its
    guards want a zero balance and every item handed over) and the appointment is done.
    The order row is locked first, so two clerks pressing at once deliver it once."""
    with transaction.atomic():
        order, locked = _locked_appointment(appointment)
        if locked.status == PickupAppointment.Status.DONE and order.state == State.DELIVERED:
            raise orders.AlreadyDone(
                _("Already done: this order is already %(state)s.")
                % {"state": order.get_state_display()}
            )
        _open(locked)
        orders.transition_order(order=order, name="deliver", by=by.user)
        locked.status = PickupAppointment.Status.DONE
        locked.save(update_fields=["status"])
    return locked
