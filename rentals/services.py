"""Writes for dress rental (DOMAIN.md, stage 7). Each is one transaction.

Money goes through orders.services only: the rental fee is a charge on the order, the
deposit a refundable hold in its ledger, taken at pickup and returned (less deductions)
when the dress comes back.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from orders import services as order_services
from orders.models import Charge, LedgerEntry, Order, State
from orders.services import checked_amount
from studio.models import Staff
from studio.services import AlreadyDone
from studio.validators import (
    Amount,
    check_booking_date,
    normalise_id_document,
    validate_sane_date,
)

from . import texts
from .models import Dress, DressReservation

ZERO = Decimal("0.00")
MEASUREMENTS = ("bust", "waist", "hips", "height", "shoulder")


class DressTaken(ValidationError):
    """The dress is already reserved (or being cleaned) for part of the dates."""


def _clash_messages(
    *,
    dress: Dress,
    pickup_on: date,
    cleaning_until: date,
    exclude: DressReservation | None = None,
) -> list[str]:
    clashes = (
        DressReservation.objects.filter(
            dress=dress, pickup_on__lte=cleaning_until, cleaning_until__gte=pickup_on
        )
        .exclude(status=DressReservation.Status.CANCELLED)
        .select_related("order")
        .order_by("pickup_on")
    )
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    return [
        _(
            "Dress %(code)s is already out %(from)s–%(to)s and being cleaned until %(clean)s "
            "(order %(order)s)."
        )
        % {
            "code": dress.code,
            "from": date_format(r.pickup_on, "SHORT_DATE_FORMAT"),
            "to": date_format(r.return_on, "SHORT_DATE_FORMAT"),
            "clean": date_format(r.cleaning_until, "SHORT_DATE_FORMAT"),
            "order": r.order.number,
        }
        for r in clashes
    ]


def reserve_dress(
    *,
    order: Order,
    dress: Dress,
    pickup_on: date,
    return_on: date,
    by: Staff,
    wedding_date: date | None = None,
    accessories: str = "",
    rental_price: Amount | None = None,
    deposit_amount: Amount | None = None,
    measurements: dict[str, Any] | None = None,
    today: date | None = None,
) -> DressReservation:
    """Hold a dress for an order's couple from pickup to return, cleaning days included.

    A dress is never reserved twice for overlapping dates (DOMAIN.md, stage 7): the dress
    row is locked while its reservations are checked, and on PostgreSQL an exclusion
    constraint has the last word. The rental price defaults to the dress's, or nothing
    when the order's package includes wedding-day dress lending; a price above zero is a
    `Charge.Kind.RENTAL` on the order. Returns the reservation.
    """
    branch = order.branch
    today = today or branch.today()
    measurements = measurements or {}
    errors: dict[str, Any] = {}
    if dress.branch_id != branch.pk:
        errors["dress"] = _("This dress belongs to another branch.")
    elif not dress.is_active:
        errors["dress"] = _("This dress is no longer rented out.")
    if pickup_on < today:
        errors["pickup_on"] = _("The pickup date cannot be in the past.")
    for field, day in (("pickup_on", pickup_on), ("return_on", return_on)):
        try:
            check_booking_date(day, today=today, past_allowed=True)
        except ValidationError as exc:
            errors[field] = exc.messages
    if wedding_date is not None:
        try:
            validate_sane_date(wedding_date)
        except ValidationError as exc:
            errors["wedding_date"] = exc.messages
    if return_on < pickup_on and "return_on" not in errors:
        errors["return_on"] = _("The dress must come back on or after the pickup date.")
    unknown = set(measurements) - set(MEASUREMENTS)
    if unknown:
        raise ValueError(f"Unknown measurements: {sorted(unknown)}")
    if rental_price is None:
        rental_price = ZERO if order.package.wedding_day_dress else dress.rental_price
    if deposit_amount is None:
        deposit_amount = dress.deposit
    rental_price, deposit_amount = Decimal(rental_price), Decimal(deposit_amount)
    for field, amount in (("rental_price", rental_price), ("deposit_amount", deposit_amount)):
        try:
            checked_amount(amount, branch=branch, field=field, zero_allowed=True)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    cleaning_until = return_on + timedelta(days=dress.cleaning_days)

    with transaction.atomic():
        # One reservation of this dress at a time: the check below sees every earlier one.
        locked_dress = Dress.objects.select_for_update().get(pk=dress.pk)
        locked_order = Order.objects.select_for_update().get(pk=order.pk)
        if locked_order.state == State.CANCELLED:
            raise ValidationError(_("This order is cancelled; it cannot rent a dress."))
        clashes = _clash_messages(
            dress=locked_dress, pickup_on=pickup_on, cleaning_until=cleaning_until
        )
        if clashes:
            raise DressTaken(clashes)
        try:
            with transaction.atomic():
                reservation = DressReservation.objects.create(
                    branch=branch,
                    customer_id=locked_order.customer_id,
                    order=locked_order,
                    dress=locked_dress,
                    wedding_date=wedding_date or locked_order.customer.wedding_date,
                    pickup_on=pickup_on,
                    return_on=return_on,
                    cleaning_until=cleaning_until,
                    accessories=accessories,
                    rental_price=rental_price,
                    deposit_amount=deposit_amount,
                    created_by=by,
                    **{k: v for k, v in measurements.items() if v is not None},
                )
        except IntegrityError as exc:
            if "no_double_dress_reservation" not in str(exc):
                raise
            raise DressTaken(_("Someone else just reserved this dress; choose again.")) from exc
        if rental_price > ZERO:
            order_services.add_charge(
                order=locked_order,
                kind=Charge.Kind.RENTAL,
                amount=rental_price,
                description=texts.RENTAL(
                    code=locked_dress.code, **{"from": pickup_on, "to": return_on}
                ),
                staff=by,
            )
    return reservation


def _locked(reservation: DressReservation) -> DressReservation:
    return (
        DressReservation.objects.select_for_update(of=("self",))
        .select_related("dress", "order")
        .get(pk=reservation.pk)
    )


def _not_already(locked: DressReservation, *done: str) -> None:
    """A second press at the desk after someone else's: say so, with the state now."""
    if locked.status in done:
        raise AlreadyDone(
            _("Already done: this reservation is %(status)s.")
            % {"status": locked.get_status_display()}
        )


def pick_up_dress(
    *,
    reservation: DressReservation,
    id_type: str,
    id_number: str | None,
    by: Staff,
    deposit_method: str = LedgerEntry.Method.CASH,
) -> DressReservation:
    """The couple takes the dress: an ID document is held (type and number recorded) and
    the deposit is taken as a refundable hold in the order's ledger."""
    id_number = (id_number or "").strip()
    errors: dict[str, Any] = {}
    if id_type not in DressReservation.IdType.values:
        errors["id_type"] = _("Choose the ID document the customer leaves with us.")
    if not id_number:
        errors["id_number"] = _("Write down the ID document's number before the dress goes out.")
    else:
        try:
            id_number = normalise_id_document(id_type, id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(reservation)
        _not_already(locked, DressReservation.Status.PICKED_UP, DressReservation.Status.RETURNED)
        if locked.status != DressReservation.Status.RESERVED:
            raise ValidationError(
                _("This reservation is %(status)s: the dress cannot be picked up now.")
                % {"status": locked.get_status_display()}
            )
        if locked.deposit_amount > ZERO:
            order_services.take_hold(
                order=locked.order,
                kind=LedgerEntry.Kind.RENTAL_DEPOSIT,
                method=deposit_method,
                amount=locked.deposit_amount,
                staff=by,
                note=texts.DEPOSIT(code=locked.dress.code),
            )
        locked.status = DressReservation.Status.PICKED_UP
        locked.id_type = id_type
        locked.id_number = id_number
        locked.picked_up_at = timezone.now()
        locked.save(update_fields=["status", "id_type", "id_number", "picked_up_at"])
    reservation.refresh_from_db()
    return locked


def refund_on_return(
    *, reservation: DressReservation, deductions: Amount | None = ZERO, reason: str | None = ""
) -> Decimal:
    """What the customer gets back of the deposit: the deposit less the deductions, which
    lie between nothing and the whole deposit, and a deduction says what it is for. Shown at
    the desk before the return is confirmed, and what return_dress() refunds."""
    deductions = Decimal(deductions or 0)
    if deductions < ZERO or deductions > reservation.deposit_amount:
        raise ValidationError(
            {
                "deductions": _("Deduct between nothing and the deposit of %(deposit)s.")
                % {"deposit": reservation.deposit_amount}
            }
        )
    if deductions > ZERO and not (reason or "").strip():
        raise ValidationError({"reason": _("Say what the deduction is for.")})
    return reservation.deposit_amount - deductions


def return_dress(
    *,
    reservation: DressReservation,
    by: Staff,
    deductions: Amount | None = ZERO,
    reason: str | None = "",
    refund_method: str = LedgerEntry.Method.CASH,
) -> DressReservation:
    """The dress is back: every item counted and checked, damage or lateness deducted from
    the deposit with the reason, the rest refunded and the ID document given back."""
    deductions = Decimal(deductions or 0)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(reservation)
        _not_already(locked, DressReservation.Status.RETURNED)
        if locked.status != DressReservation.Status.PICKED_UP:
            raise ValidationError(
                _("This reservation is %(status)s: there is no dress to take back.")
                % {"status": locked.get_status_display()}
            )
        refund_on_return(reservation=locked, deductions=deductions, reason=reason)
        if locked.deposit_amount > ZERO:
            order_services.return_hold(
                order=locked.order,
                kind=LedgerEntry.Kind.RENTAL_DEPOSIT,
                method=refund_method,
                staff=by,
                amount=locked.deposit_amount,
                keep=deductions,
                keep_reason=reason,
            )
        locked.status = DressReservation.Status.RETURNED
        locked.returned_at = timezone.now()
        locked.deducted = deductions
        locked.damage_notes = reason
        locked.save(update_fields=["status", "returned_at", "deducted", "damage_notes"])
    reservation.refresh_from_db()
    return locked


def cancel_reservation(
    *, reservation: DressReservation, by: Staff, reason: str = ""
) -> DressReservation:
    """Give the dress's dates back before pickup; a rental fee is taken off the order with
    a correcting charge."""
    with transaction.atomic():
        locked = _locked(reservation)
        _not_already(locked, DressReservation.Status.CANCELLED)
        if locked.status != DressReservation.Status.RESERVED:
            raise ValidationError(
                _("Only a reservation not yet picked up can be cancelled; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if locked.rental_price > ZERO:
            order_services.add_charge(
                order=locked.order,
                kind=Charge.Kind.RENTAL,
                amount=-locked.rental_price,
                description=texts.RENTAL_CANCELLED_BECAUSE(code=locked.dress.code, reason=reason)
                if reason
                else texts.RENTAL_CANCELLED(code=locked.dress.code),
                staff=by,
            )
        locked.status = DressReservation.Status.CANCELLED
        locked.save(update_fields=["status"])
    reservation.refresh_from_db()
    return locked
