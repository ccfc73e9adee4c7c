"""Writes for the viewing control sheet (看样控制表). Each is one transaction.

The Order's state changes go through orders.services.transition_order only.
"""

import json
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followups.models import CallTask, Complaint
from followups.services import create_call_task, move_call_task
from orders import services as orders
from orders.models import Charge, LedgerEntry, Order, State
from studio import roles
from studio import texts as studio_texts
from studio.models import Branch, Staff
from studio.request_keys import done_with
from studio.services import AlreadyDone
from studio.templatetags.studio import money
from studio.texts import Params, Words
from studio.validators import Amount, booking_too_far

from . import selectors, signals, texts
from .models import (
    ADDED,
    DEFAULT_PRICES,
    Compensation,
    DesignProof,
    LoweredUpsell,
    Pick,
    PriceItem,
    Product,
    ProductionItem,
    ProductionStep,
    ProductLine,
    SelectionSession,
    VoucherUse,
    proof_path,
)
from .selectors import session_minutes

ZERO = Decimal("0.00")


def _local(moment: datetime, branch: Branch, fmt: str) -> str:
    return date_format(timezone.localtime(moment, branch.tzinfo), fmt)


def book_selection(
    *,
    order: Order,
    starts_at: datetime,
    consultant: Staff | None,
    by: Staff,
    now: datetime | None = None,
    request_key: str | None = None,
) -> SelectionSession:
    """Book (or move) the couple's selection appointment after the shoot (DOMAIN.md, stage
    4: the appointment comes from the viewing control sheet).

    The order must be shot; the time in the future; the consultant a selection consultant
    of the order's branch, never holding two overlapping sessions. A session lasts the
    branch's session length (2 hours unless set). The clash check runs under a lock on the
    branch and on the consultant (who may work at two branches), so two desks booking at
    once cannot both win. Returns the SelectionSession. With a `request_key` (the form's),
    the same form sent again returns the session as the first one booked it.
    """
    if done := done_with(SelectionSession.objects.filter(order=order), request_key):
        return done
    now = now or timezone.now()
    branch = order.branch
    errors: dict[str, Any] = {}
    if (
        consultant is None
        or not consultant.is_active
        or not consultant.has_role(roles.SELECTION_CONSULTANT)
        or not consultant.branches.filter(pk=branch.pk).exists()
    ):
        errors["consultant"] = _("Choose a selection consultant of this branch.")
    if starts_at <= now:
        errors["starts_at"] = _("Choose a time in the future.")
    elif too_far := booking_too_far(starts_at, branch=branch):
        errors["starts_at"] = too_far
    if errors:
        raise ValidationError(errors)
    assert consultant is not None  # refused above
    ends_at = starts_at + timedelta(minutes=session_minutes(branch))

    with transaction.atomic():
        # FOR NO KEY UPDATE: bookings queue up, while rows that merely point at the branch
        # or the consultant (a payment, a pick) are still written meanwhile.
        Branch.objects.select_for_update(no_key=True).get(pk=branch.pk)
        Staff.objects.select_for_update(no_key=True).get(pk=consultant.pk)
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state != State.SHOT:
            raise ValidationError(
                _("This order is %(state)s: its selection cannot be booked now.")
                % {"state": locked.get_state_display()}
            )
        # The same form sent twice at once: the second waited for the locks.
        if done := done_with(SelectionSession.objects.filter(order=locked), request_key):
            return done
        clash = (
            SelectionSession.objects.filter(
                consultant=consultant, appointment_at__lt=ends_at, appointment_ends_at__gt=starts_at
            )
            .exclude(order=locked)
            .select_related("order__customer", "order__branch")
            .order_by("appointment_at")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "consultant": _(
                        "%(who)s already has a selection %(from)s–%(to)s (%(couple)s, "
                        "order %(order)s)."
                    )
                    % {
                        "who": consultant.display_name,
                        # A clash overlaps the time, so it has one.
                        "from": _local(
                            cast(datetime, clash.appointment_at), branch, "SHORT_DATETIME_FORMAT"
                        ),
                        "to": _local(
                            cast(datetime, clash.appointment_ends_at), branch, "TIME_FORMAT"
                        ),
                        "couple": clash.order.customer,
                        "order": clash.order.number,
                    }
                }
            )
        session, _created = SelectionSession.objects.select_for_update().get_or_create(order=locked)
        session.appointment_at = starts_at
        session.appointment_ends_at = ends_at
        session.consultant = consultant
        session.booked_by = by
        session.request_key = request_key or None
        session.save(
            update_fields=[
                "appointment_at", "appointment_ends_at", "consultant", "booked_by", "request_key",
            ]
        )  # fmt: skip
        # A confirmation call already planned for the old time now names the new one.
        move_call_task(
            occasion=confirmation_occasion(session),
            due_at=max(starts_at - timedelta(days=1), now),
            script=confirmation_script(session),
        )
    return session


def confirmation_occasion(session: SelectionSession) -> str:
    return f"selection-confirm-1d:{session.pk}"


def mark_files(
    *,
    order: Order,
    transferred: bool,
    complete: bool,
    photo_count: int,
    by: Staff,
    now: datetime | None = None,
) -> SelectionSession:
    """The day before the selection the consultant checks that the image files (影像档)
    are transferred and complete; start_selection's guard reads it (DOMAIN.md, stage 4)."""
    errors: dict[str, Any] = {}
    if complete and not transferred:
        errors["complete"] = _("The files can only be checked complete once they are transferred.")
    if transferred and not photo_count:
        errors["photo_count"] = _("Count the photos that were transferred.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state != State.SHOT:
            raise ValidationError(
                _("This order is %(state)s: its image files cannot be changed now.")
                % {"state": locked.get_state_display()}
            )
        session, _created = SelectionSession.objects.select_for_update().get_or_create(order=locked)
        if transferred:
            session.files_transferred_at = session.files_transferred_at or now or timezone.now()
        else:
            session.files_transferred_at = None
        session.files_complete = complete
        session.photo_count = photo_count
        session.files_checked_by = by
        session.save(
            update_fields=[
                "files_transferred_at",
                "files_complete",
                "photo_count",
                "files_checked_by",
            ]
        )
    return session


def confirmation_script(session: SelectionSession) -> tuple[str, Params]:
    """What the caller says, as (kind, params) of studio.texts: shown in the customer's
    language whoever reads it, since the call is made in that language."""
    tz = session.order.branch.tzinfo
    # Only a booked session gets its call: it has its times.
    starts_at = cast(datetime, session.appointment_at)
    ends_at = cast(datetime, session.appointment_ends_at)
    at = timezone.localtime(starts_at, tz)
    return texts.CONFIRM(
        day=studio_texts.date(at.date()),
        time=studio_texts.datetime(at, "TIME_FORMAT"),
        consultant=session.consultant.display_name if session.consultant else "—",
        minutes=int((ends_at - starts_at).total_seconds() // 60),
    )


def plan_selection_calls(*, now: datetime | None = None) -> int:
    """1 day before each selection appointment, a confirmation call on the owner's list
    (DOMAIN.md, stage 8: selection, 1 day before).

    Idempotent: each call has its occasion ("selection-confirm-1d:<session>"), so running it
    every 15 minutes, or twice, creates it once. Returns how many sessions it looked at.
    """
    now = now or timezone.now()
    sessions = SelectionSession.objects.filter(
        order__state=State.SHOT,
        appointment_at__gt=now,
        appointment_at__lte=now + timedelta(days=1),
    ).select_related("order__customer__branch", "order__owner", "order__branch", "consultant")
    made = 0
    for session in sessions:
        order = session.order
        create_call_task(
            customer=order.customer,
            order=order,
            assignee=order.owner,
            kind=CallTask.Kind.SELECTION_CONFIRM,
            due_at=max(cast(datetime, session.appointment_at) - timedelta(days=1), now),
            occasion=confirmation_occasion(session),
            script=confirmation_script(session),
        )
        made += 1
    return made


# --- The session (选片): picks in passes, products, the live upsell (DOMAIN.md, stage 4) ---


def price_list(*, branch: Branch) -> QuerySet[PriceItem]:
    """The branch's price list, started from the defaults the first time it is needed (a
    branch opened after the catalogue migration). Managers edit it in the admin."""
    if not PriceItem.objects.filter(branch=branch).exists():
        for product, size, price in DEFAULT_PRICES:
            PriceItem.objects.get_or_create(
                branch=branch, product=product, size=size, defaults={"price": price}
            )
    return PriceItem.objects.filter(branch=branch, is_active=True)


def start_selection(*, order: Order, by: Staff) -> Order:
    """The couple sits down to choose: the order moves to selecting (the guard wants the
    image files transferred and complete)."""
    with transaction.atomic():
        price_list(branch=order.branch)
        return orders.transition_order(order=order, name="start_selection", by=by.user)


def _selecting(order: Order, done: Sequence[str] = ()) -> tuple[Order, SelectionSession]:
    """The order and its session, locked; picks change only while the order is selecting.
    In one of the `done` states someone else just took the step: AlreadyDone says so."""
    locked = (
        Order.objects.select_for_update(of=("self",))
        .select_related("branch", "package")
        .get(pk=order.pk)
    )
    if locked.state in done:
        raise orders.AlreadyDone(
            _("Already done: this order is already %(state)s.")
            % {"state": locked.get_state_display()}
        )
    if locked.state != State.SELECTING:
        raise ValidationError(
            _("This order is %(state)s: the selection cannot be changed now.")
            % {"state": locked.get_state_display()}
        )
    session = SelectionSession.objects.select_for_update().get(order=locked)
    return locked, session


def _listed(numbers: set[int]) -> str:
    return ", ".join(str(n) for n in sorted(numbers)[:20]) + ("…" if len(numbers) > 20 else "")


def pick(
    *,
    session: SelectionSession,
    numbers: Iterable[int],
    pass_: str,
    by: Staff,
    outfit: str = "",
    retouch: bool = True,
    album_page: int | None = None,
) -> int:
    """Pick photo numbers in one pass. A later pass narrows the earlier one: once the first
    look has picks, "keep" takes only numbers from it, and "confirmed" only kept ones.
    Picking a number again updates its outfit, retouch and album page. Returns how many
    picks were added or changed."""
    numbers = set(numbers)
    if pass_ not in Pick.Pass.values:
        raise ValidationError({"pass_kind": _("Choose a pass.")})
    if not numbers:
        raise ValidationError({"numbers": _("Type at least one photo number.")})
    with transaction.atomic():
        _order, locked = _selecting(session.order)
        if locked.photo_count and max(numbers) > locked.photo_count:
            beyond = {n for n in numbers if n > locked.photo_count}
            raise ValidationError(
                {
                    "numbers": _("There are only %(count)s photos: %(numbers)s are not among them.")
                    % {"count": locked.photo_count, "numbers": _listed(beyond)}
                }
            )
        passes = Pick.Pass.values
        index = passes.index(pass_)
        if index:
            earlier = set(
                locked.picks.filter(pass_kind=passes[index - 1]).values_list("number", flat=True)
            )
            missing = numbers - earlier
            if earlier and missing:
                raise ValidationError(
                    {
                        "numbers": _(
                            "Photos %(numbers)s are not in the pass “%(pass)s”: pick them "
                            "there first."
                        )
                        % {"numbers": _listed(missing), "pass": Pick.Pass(passes[index - 1]).label}
                    }
                )
        existing = {p.number: p for p in locked.picks.filter(pass_kind=pass_, number__in=numbers)}
        now = timezone.now()
        for found in existing.values():
            found.outfit, found.retouch, found.album_page = outfit, retouch, album_page
        Pick.objects.bulk_update(existing.values(), ["outfit", "retouch", "album_page"])
        Pick.objects.bulk_create(
            [
                Pick(
                    session=locked,
                    number=n,
                    pass_kind=pass_,
                    outfit=outfit,
                    retouch=retouch,
                    album_page=album_page,
                    picked_by=by,
                    picked_at=now,
                )
                for n in sorted(numbers - set(existing))
            ]
        )
    return len(numbers)


def unpick(*, session: SelectionSession, numbers: Iterable[int], pass_: str, by: Staff) -> int:
    """Take photo numbers out of a pass, and out of the passes after it. Returns how many
    picks were removed."""
    if pass_ not in Pick.Pass.values:
        raise ValidationError({"pass_kind": _("Choose a pass.")})
    if not numbers:
        raise ValidationError({"numbers": _("Type at least one photo number.")})
    passes = Pick.Pass.values
    with transaction.atomic():
        _order, locked = _selecting(session.order)
        removed, _kinds = locked.picks.filter(
            pass_kind__in=passes[passes.index(pass_) :], number__in=set(numbers)
        ).delete()
    return removed


def take_favourites(*, session: SelectionSession, by: Staff) -> int:
    """The consultant takes the photos the couple marked at home into the first look, in
    one action (the same rules as a pick). Photos already in the first look keep what the
    consultant wrote on them, so taking them twice changes nothing. Returns how many were
    added."""
    numbers = set(session.photos.filter(favourite__chosen=True).values_list("number", flat=True))
    if not numbers:
        raise ValidationError(_("The couple marked no favourites at home."))
    there = set(
        session.picks.filter(pass_kind=Pick.Pass.FIRST_LOOK, number__in=numbers).values_list(
            "number", flat=True
        )
    )
    if not numbers - there:
        return 0
    return pick(session=session, numbers=numbers - there, pass_=Pick.Pass.FIRST_LOOK, by=by)


def add_product(
    *,
    session: SelectionSession,
    price_item: PriceItem,
    quantity: int,
    by: Staff,
    photo_number: int | None = None,
) -> ProductLine:
    """An enlargement, frame, crystal or the image files on USB, priced from the branch's
    list."""
    errors: dict[str, Any] = {}
    if price_item.branch_id != session.order.branch_id or not price_item.is_active:
        errors["price_item"] = _("Choose a product from this branch's price list.")
    if quantity < 1:
        errors["quantity"] = _("The quantity must be at least 1.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _order, locked = _selecting(session.order)
        if photo_number and locked.photo_count and photo_number > locked.photo_count:
            raise ValidationError(
                {
                    "photo_number": _("There are only %(count)s photos.")
                    % {"count": locked.photo_count}
                }
            )
        return ProductLine.objects.create(
            session=locked,
            price_item=price_item,
            quantity=quantity,
            photo_number=photo_number,
            added_by=by,
        )


def remove_product(*, line: ProductLine, by: Staff) -> None:
    with transaction.atomic():
        _order, locked = _selecting(line.session.order)
        ProductLine.objects.filter(pk=line.pk, session=locked).delete()


# --- Confirming: the signed production list (看样制作清单) ---


def _line_key(text: tuple[str, Params]) -> str:
    """One line of the upsell, (kind, params) of studio.texts, as a key to sum by."""
    return json.dumps(list(text), sort_keys=True, ensure_ascii=False)


def _charge_upsell(
    *,
    order: Order,
    summary: selectors.Summary,
    discount: Decimal,
    approved_by: Staff | None,
    by: Staff,
) -> None:
    """Bring the order's selection-upsell charges to what this list says. Charges are
    immutable, so a list changed within the 3 hours adds the difference per line (a
    negative charge for what was taken off), never edits a charge."""
    wanted: defaultdict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in summary.lines:
        if line.amount:
            wanted[_line_key(line.description())] += line.amount
    if discount:
        assert approved_by is not None  # confirm_selection wants a manager for a discount
        wanted[_line_key(texts.DISCOUNT(who=approved_by.display_name))] -= discount
    charged: defaultdict[str, Decimal] = defaultdict(lambda: ZERO)
    for charge in Charge.objects.filter(order=order, kind=Charge.Kind.SELECTION_UPSELL):
        key = (
            _line_key((charge.description_kind, charge.description_params))
            if charge.description_kind
            else charge.description  # a charge written before texts had kinds
        )
        charged[key] += charge.amount
    for key in sorted(set(wanted) | set(charged)):
        delta = wanted[key] - charged[key]
        if delta:
            orders.add_charge(
                order=order,
                kind=Charge.Kind.SELECTION_UPSELL,
                amount=delta,
                description=tuple(json.loads(key)) if key.startswith("[") else key,
                staff=by,
                approved_by=approved_by if delta < 0 and approved_by else None,
            )


def _upsell_charged(order: Order) -> Decimal:
    charges = Charge.objects.filter(order=order, kind=Charge.Kind.SELECTION_UPSELL)
    return Decimal(charges.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"])


def _upsell_paid_beyond(order: Order) -> Decimal:
    """What the couple paid for the upsell beyond what it now costs, less what was already
    refunded of a lower list: the most a lower list may give back."""
    paid = order.ledger.filter(kind=LedgerEntry.Kind.SELECTION_UPSELL).aggregate(
        total=Coalesce(Sum("amount"), ZERO)
    )["total"]
    refunded = LoweredUpsell.objects.filter(order=order).aggregate(
        total=Coalesce(Sum("refunded"), ZERO)
    )["total"]
    return Decimal(paid - refunded) - _upsell_charged(order)


def _note_lowered_total(*, order: Order, lowered: Decimal, now: datetime) -> None:
    """A list signed again for less: what the couple paid for the upsell beyond the new
    total waits for the cashier's decision (`settle_lowered_total`). Only money paid
    counts — a lower upsell that was still owed just owes less — and a difference already
    waiting grows or shrinks with this one. `order` is locked by the caller."""
    if not lowered:
        return
    pending = (
        LoweredUpsell.objects.select_for_update()
        .filter(order=order, decision=LoweredUpsell.Decision.PENDING)
        .first()
    )
    waiting = pending.amount if pending else ZERO
    difference = min(waiting + lowered, max(_upsell_paid_beyond(order), ZERO))
    if difference <= ZERO:
        if pending:
            pending.delete()
        return
    if pending:
        pending.amount = difference
        pending.save(update_fields=["amount"])
    else:
        LoweredUpsell.objects.create(order=order, amount=difference, created_at=now)


def settle_lowered_total(
    *,
    lowered: LoweredUpsell,
    refund: bool,
    by: Staff,
    method: str = "",
    amount: Amount | None = None,
    now: datetime | None = None,
) -> LoweredUpsell:
    """The cashier decides what becomes of the difference of a list signed for less:
    refunded through the ledger (orders.services.refund: a refund entry with its receipt),
    all of it or part, the rest kept as a credit on the order (it counts towards what the
    order still owes); or all of it kept.

    Decided once: the order and the difference are locked, so a double submit finds the
    decision taken (`AlreadyDone`). A refund is never more than the difference, nor more
    than was paid for the upsell beyond what it costs now."""
    if refund:
        errors: dict[str, Any] = {}
        if method not in LedgerEntry.Method.values:
            errors["method"] = _("Choose how the money is given back.")
        try:
            amount = orders.checked_amount(
                "" if amount is None else amount, branch=lowered.order.branch
            )
        except ValidationError as exc:
            errors |= exc.message_dict
        if errors:
            raise ValidationError(errors)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=lowered.order_id)
        locked = LoweredUpsell.objects.select_for_update().get(pk=lowered.pk)
        if locked.decision != LoweredUpsell.Decision.PENDING:
            raise AlreadyDone(
                _("Already decided: %(decision)s.") % {"decision": locked.get_decision_display()}
            )
        if refund:
            amount = cast(Decimal, amount)
            if amount > locked.amount:
                raise ValidationError(
                    {
                        "amount": _("Refund at most the difference, %(difference)s.")
                        % {"difference": f"¥{locked.amount:,.2f}"}
                    }
                )
            beyond = _upsell_paid_beyond(order)
            if amount > beyond:
                raise ValidationError(
                    {
                        "amount": _(
                            "Only %(beyond)s was paid for the upsell beyond what it costs now; "
                            "refund no more, or keep it as credit."
                        )
                        % {"beyond": f"¥{max(beyond, ZERO):,.2f}"}
                    }
                )
            locked.refund_entry = orders.refund(
                order=order,
                method=method,
                amount=amount,
                staff=by,
                note=texts.LOWERED_REFUND(),
            )
            locked.refunded = amount
            locked.decision = LoweredUpsell.Decision.REFUNDED
        else:
            locked.decision = LoweredUpsell.Decision.KEPT
        locked.decided_by = by
        locked.decided_at = now or timezone.now()
        locked.save(
            update_fields=["refund_entry", "refunded", "decision", "decided_by", "decided_at"]
        )
        return locked


def make_production_items(
    *, order: Order, session: SelectionSession, summary: selectors.Summary, due: date
) -> list[ProductionItem]:
    """The products to make, from the confirmed list: the retouched photos, the album with
    its pages, and every product line."""
    # A free item given in compensation stays: it was not on the list.
    ProductionItem.objects.filter(order=order, compensation__isnull=True).delete()
    with translation.override(order.customer.language):
        items = []
        if summary.retouched:
            items.append(
                ProductionItem(
                    product="retouched",
                    name=_("Retouched photos"),
                    quantity=summary.retouched,
                )
            )
        if summary.album_pages:
            items.append(
                ProductionItem(
                    product="album",
                    name=_("Album, %(pages)s pages") % {"pages": summary.album_pages},
                    pages=summary.album_pages,
                )
            )
        for line in session.product_lines.select_related("price_item"):
            items.append(
                ProductionItem(
                    product=line.price_item.product,
                    size=line.price_item.size,
                    name=line.price_item.label,
                    quantity=line.quantity,
                    photo_number=line.photo_number,
                )
            )
    for item in items:
        item.order = order
        item.due_date = due
    return ProductionItem.objects.bulk_create(items)


def confirm_selection(
    *,
    order: Order,
    by: Staff,
    customer_signed: bool = True,
    pay_now: tuple[str, Amount] | None = None,
    discount: Amount | None = ZERO,
    discount_approved_by: Staff | None = None,
    waive_change_window: bool = False,
    now: datetime | None = None,
) -> SelectionSession:
    """The couple signs the production list (看样制作清单): the upsell is invoiced as
    selection-upsell charges (paid now with `pay_now=(method, amount)`, or recorded as
    owed), the production items are made from the list, and the order is confirmed as
    selected. Changes are possible for 3 hours unless the customer waives them.

    A discount on the upsell needs a store manager of the branch, who is recorded.
    All of it is one transaction: if the guard refuses (no signature), nothing is kept.
    """
    now = now or timezone.now()
    discount = Decimal(discount or 0)
    with transaction.atomic():
        locked, session = _selecting(
            order, done=(State.SELECTED, State.IN_PRODUCTION, State.READY, State.DELIVERED)
        )
        summary = selectors.summary(session)
        errors: dict[str, Any] = {}
        if not summary.confirmed:
            errors["__all__"] = _("Confirm at least one photo before the list is signed.")
        unpriced = [line.label for line in summary.lines if line.unit_price is None and line.extra]
        if unpriced:
            errors["__all__"] = _("The price list has no price for: %(lines)s.") % {
                "lines": ", ".join(unpriced)
            }
        if discount < ZERO or discount > summary.total:
            errors["discount"] = _("The discount can be at most the upsell, %(total)s.") % {
                "total": f"¥{summary.total:,.2f}"
            }
        elif discount and not (
            discount_approved_by is not None
            and discount_approved_by.is_manager
            and locked.branch_id in discount_approved_by.branch_ids
        ):
            errors["discount"] = _("A discount on the upsell needs a store manager's approval.")
        if errors:
            raise ValidationError(errors)
        before = _upsell_charged(locked)
        _charge_upsell(
            order=locked,
            summary=summary,
            discount=discount,
            approved_by=discount_approved_by if discount else None,
            by=by,
        )
        _note_lowered_total(order=locked, lowered=before - _upsell_charged(locked), now=now)
        days = selectors.production_days(locked.branch)
        make_production_items(
            order=locked,
            session=session,
            summary=summary,
            due=timezone.localdate(now, locked.branch.tzinfo) + timedelta(days=days),
        )
        session.signed_at = now if customer_signed else None
        session.signed_by_staff = by
        session.upsell_settled = True
        session.change_window_waived = bool(waive_change_window)
        session.upsell_discount = discount
        session.upsell_discount_approved_by = discount_approved_by if discount else None
        session.save(
            update_fields=[
                "signed_at",
                "signed_by_staff",
                "upsell_settled",
                "change_window_waived",
                "upsell_discount",
                "upsell_discount_approved_by",
            ]
        )
        if pay_now:
            method, amount = pay_now
            orders.take_payment(
                order=locked,
                kind=LedgerEntry.Kind.SELECTION_UPSELL,
                method=method,
                amount=amount,
                staff=by,
                note=texts.UPSELL_PAYMENT(),
            )
        orders.transition_order(order=locked, name="confirm_selection", by=by.user)
    order.refresh_from_db()
    return session


def reopen_selection(*, order: Order, by: Staff) -> Order:
    """3小时后不能退改: within 3 hours of signing, the list can be changed; it must then be
    signed again (and the upsell settled again) before production."""
    with transaction.atomic():
        orders.transition_order(order=order, name="reopen", by=by.user)
        SelectionSession.objects.filter(order=order).update(
            signed_at=None, upsell_settled=False, change_window_waived=False
        )
    return order


def send_to_production(*, order: Order, by: Staff) -> Order:
    """After the 3-hour window (or when the customer waived it) the list goes to production."""
    return orders.transition_order(order=order, name="send_to_production", by=by.user)


# --- Production: retouch → design → print → QC → done, or rework (DOMAIN.md, stage 5) ---


def _item_in_production(
    item: ProductionItem, expected: Iterable[str]
) -> tuple[Order, ProductionItem]:
    """Lock the order (so passes of one order's items queue up), then the item; refuse a
    move from a stage the item has already left (a second tap, or a colleague)."""
    order = Order.objects.select_for_update().get(pk=item.order_id)
    # A ready order's item sent back from the pickup check is worked on like the others.
    if order.state not in (State.IN_PRODUCTION, State.READY):
        raise ValidationError(
            _("This order is %(state)s: its items are not in production.")
            % {"state": order.get_state_display()}
        )
    locked = ProductionItem.objects.select_for_update().get(pk=item.pk)
    if locked.stage not in expected:
        raise ValidationError(
            _("Already moved: this item is now at “%(stage)s”.")
            % {"stage": locked.get_stage_display()}
        )
    return order, locked


def _move(
    locked: ProductionItem, to: str, by: Staff, note: str = "", now: datetime | None = None
) -> ProductionItem:
    ProductionStep.objects.create(
        item=locked,
        from_stage=locked.stage,
        to_stage=to,
        by=by,
        note=note,
        at=now or timezone.now(),
    )
    locked.stage = to
    locked.save(
        update_fields=["stage", "qc_passed_at", "rework_reason", "rework_kind", "rework_params"]
    )
    return locked


def _check_proofs_approved(locked: ProductionItem, to: str) -> None:
    """An album goes to print only once the couple approved its design (看设计): at least
    one proof, and every proof still asked about approved. Other items wait only for the
    proofs they have."""
    if to != ProductionItem.Stage.PRINT:
        return
    decisions = list(locked.proofs.filter(replaced=False).values_list("decision", flat=True))
    if locked.product == Product.ALBUM and not decisions:
        raise ValidationError(
            _("The album's design has not been shown to the couple: upload the proofs first.")
        )
    if any(d != DesignProof.Decision.APPROVED for d in decisions):
        raise ValidationError(
            _("The couple has not approved every proof of this item yet: it cannot go to print.")
        )


def advance_item(
    *, item: ProductionItem, by: Staff, from_stage: str | None = None
) -> ProductionItem:
    """One tap: retouch → design → print → QC. `from_stage` is the stage the tap was made
    on, so a double tap moves the item once. Past design only with the proofs approved."""
    stages = [from_stage] if from_stage else list(ProductionItem.FLOW)
    with transaction.atomic():
        _order, locked = _item_in_production(item, [s for s in stages if s in ProductionItem.FLOW])
        to = ProductionItem.FLOW[locked.stage]
        _check_proofs_approved(locked, to)
        return _move(locked, to, by)


def fail_qc(*, item: ProductionItem, by: Staff, reason: str) -> ProductionItem:
    """QC found a fault: the item goes to rework with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong, so rework knows what to fix.")})
    with transaction.atomic():
        _order, locked = _item_in_production(item, [ProductionItem.Stage.QC])
        locked.rework_reason = reason[:200]
        locked.rework_kind, locked.rework_params = "", {}
        return _move(locked, ProductionItem.Stage.REWORK, by, note=reason[:200])


def resume_item(*, item: ProductionItem, to: str, by: Staff) -> ProductionItem:
    """From rework back into the flow, at the stage that has to redo it."""
    if to not in ProductionItem.BACK_INTO_FLOW:
        raise ValidationError({"to": _("Choose retouch, design or print.")})
    with transaction.atomic():
        _order, locked = _item_in_production(item, [ProductionItem.Stage.REWORK])
        _check_proofs_approved(locked, to)
        return _move(locked, to, by)


def pass_qc(*, item: ProductionItem, by: Staff, now: datetime | None = None) -> ProductionItem:
    """QC passed: the item is done. When it is the order's last item, the order is marked
    ready in the same transaction (the order row is locked first, so two items passing at
    the same moment still mark it ready once)."""
    now = now or timezone.now()
    with transaction.atomic():
        order, locked = _item_in_production(item, [ProductionItem.Stage.QC])
        locked.qc_passed_at = now
        _move(locked, ProductionItem.Stage.DONE, by, now=now)
        mark_ready_if_done(order=order, by=by)
    return locked


def mark_ready_if_done(*, order: Order, by: Staff | None) -> bool:
    """Mark the order ready when every production item passed QC. Idempotent: an order
    that is no longer in production, or has an item to finish, is left as it is. Returns
    whether it moved."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state != State.IN_PRODUCTION or not selectors.all_items_passed_qc(locked):
            return False
        orders.transition_order(order=locked, name="mark_ready", by=by.user if by else None)
    return True


def late_script(order: Order, due: date) -> tuple[str, Params]:
    """An instruction to the owner, as (kind, params): in the reader's language."""
    return texts.LATE(order=order.number, due=studio_texts.date(due))


def alert_late_production(*, now: datetime | None = None) -> int:
    """2 days before an item is due, anything not done raises a call task for the order's
    owner (DOMAIN.md, stage 5 and 8: production late). Once per order: the occasion is
    "production-late:<order>", so running it every hour, or twice, changes nothing.
    Returns how many orders are late."""
    now = now or timezone.now()
    late = selectors.late_orders(now=now)
    for order, due in late:
        create_call_task(
            customer=order.customer,
            order=order,
            assignee=order.owner,
            kind=CallTask.Kind.DELAY_APOLOGY,
            due_at=now,
            occasion=f"production-late:{order.pk}",
            script=late_script(order, due),
        )
    return len(late)


# --- Pickup (DOMAIN.md, stage 6): the day-before check and the hand-over ---


def send_back_to_rework(
    *, item: ProductionItem, reason: Words, by: Staff, now: datetime | None = None
) -> ProductionItem:
    """The day-before check at pickup found a fault in a done item: it goes back to rework
    with the reason and must pass QC again, so the order can't be delivered until it does.
    The order may already be ready; it stays so (its items are still worked on the board).

    `reason` is what staff typed, or (kind, params) of studio.texts with the typed words
    as its "note" parameter."""
    kind, params = reason if isinstance(reason, tuple) else ("", {})
    typed = (params.get("note", "") if kind else cast(str, reason or "")).strip()
    if not typed:
        raise ValidationError({"reason": _("Say what is wrong, so rework knows what to fix.")})
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=item.order_id)
        locked = ProductionItem.objects.select_for_update().get(pk=item.pk)
        if locked.handed_over_at:
            raise ValidationError(_("This item was already handed over."))
        if locked.stage == ProductionItem.Stage.REWORK:
            return locked
        locked.rework_reason = "" if kind else typed[:200]
        locked.rework_kind, locked.rework_params = kind, params
        locked.qc_passed_at = None
        return _move(locked, ProductionItem.Stage.REWORK, by, note=typed[:200], now=now)


def mark_handed_over(
    *, items: Iterable[ProductionItem], by: Staff, now: datetime | None = None
) -> list[ProductionItem]:
    """The customer received these items at the desk. Only items that passed QC can be
    handed over; an item already handed over keeps its first time. Returns the items
    marked now."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = [i.pk for i in items]
        locked = list(ProductionItem.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        not_done = [i for i in locked if i.stage != ProductionItem.Stage.DONE or not i.qc_passed_at]
        if not_done:
            raise ValidationError(
                _("Not finished, so it can't be handed over: %(items)s.")
                % {"items": ", ".join(str(i.label) for i in not_done)}
            )
        fresh = [i for i in locked if i.handed_over_at is None]
        for i in fresh:
            i.handed_over_at = now
        ProductionItem.objects.bulk_update(fresh, ["handed_over_at"])
    return fresh


# --- Design proofs (看设计): the couple approves the layouts before printing ---

# What a proof may be: a JPEG picture or a PDF, by their first bytes (not the name).
PROOF_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"%PDF-": "application/pdf"}
PROOF_MAX_BYTES = 30 * 1024 * 1024
# The items whose layout the couple sees: the album's spreads and the enlargements.
PROOFED = (Product.ALBUM, Product.ENLARGEMENT)
# Proofs are made while the item is being retouched or designed, or redone in rework.
PROOF_STAGES = (
    ProductionItem.Stage.RETOUCH,
    ProductionItem.Stage.DESIGN,
    ProductionItem.Stage.REWORK,
)


def proof_type(upload: Any) -> str:
    """The proof's content type from its first bytes; ValidationError for anything else."""
    if upload.size > PROOF_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is too big: at most %(mb)d MB.") % {"mb": PROOF_MAX_BYTES >> 20}}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, content_type in PROOF_TYPES.items():
        if head.startswith(magic):
            return content_type
    raise ValidationError({"file": _("Upload a JPEG picture or a PDF.")})


def upload_proof(
    *,
    item: ProductionItem,
    upload: Any,
    by: Staff,
    title: str = "",
    replaces: DesignProof | None = None,
) -> DesignProof:
    """Keep a layout for the couple to look at. A new version of a layout the couple asked
    to change replaces it (the old one is kept, no longer asked about). The couple sees it
    once the designer tells them the proofs are ready (`show_proofs`).

    The file is written before the transaction, never while it holds the order's lock, and
    removed again when the row is refused (STYLE.md 3: no slow outside call under a lock)."""
    content_type = proof_type(upload)
    if item.product not in PROOFED:
        raise ValidationError(_("Only albums and enlargements have design proofs."))
    storage = DesignProof._meta.get_field("file").storage
    name = storage.save(
        proof_path(DesignProof(item=item, content_type=content_type), upload.name), upload
    )
    try:
        with transaction.atomic():
            _order, locked = _item_in_production(item, PROOF_STAGES)
            if replaces is not None:
                old = DesignProof.objects.select_for_update().get(pk=replaces.pk)
                if old.item_id != locked.pk:
                    raise ValidationError({"replaces": _("That proof is of another item.")})
                if old.replaced:
                    raise AlreadyDone(_("Already replaced by a newer version."))
                old.replaced = True
                old.save(update_fields=["replaced"])
            return DesignProof.objects.create(
                item=locked,
                file=name,
                content_type=content_type,
                title=title.strip()[:100],
                uploaded_by=by,
            )
    except Exception:
        storage.delete(name)
        raise


def show_proofs(*, order: Order, by: Staff, now: datetime | None = None) -> int:
    """Tell the couple their proofs are ready: the proofs not yet shown become visible on
    their page, and the couple's page sends them their link (`signals.proofs_shown`, in this
    transaction, so the message is queued exactly when the proofs are shown). Returns how
    many proofs were shown; none new refuses."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        shown = DesignProof.objects.filter(
            item__order=locked, shown_at__isnull=True, replaced=False
        ).update(shown_at=now)
        if not shown:
            raise AlreadyDone(_("No new proofs to show: the couple has seen every one."))
        signals.proofs_shown.send(sender=DesignProof, order=locked, by=by)
        return shown


def decide_proof(
    *, proof: DesignProof, approve: bool, note: str = "", now: datetime | None = None
) -> DesignProof:
    """The couple's answer to a proof on their page: approved, or a change asked with what
    to change. Decided once: a second press (two phones, a double tap) is `AlreadyDone`."""
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say what you would like changed.")})
    with transaction.atomic():
        locked = DesignProof.objects.select_for_update().get(pk=proof.pk)
        if locked.shown_at is None or locked.replaced:
            raise ValidationError(_("This proof is no longer asked about."))
        if locked.decision != DesignProof.Decision.WAITING:
            raise AlreadyDone(
                _("Already answered: %(decision)s.") % {"decision": locked.get_decision_display()}
            )
        locked.decision = DesignProof.Decision.APPROVED if approve else DesignProof.Decision.CHANGES
        locked.couple_note = note[:500]
        locked.decided_at = now or timezone.now()
        locked.save(update_fields=["decision", "couple_note", "decided_at"])
        return locked


# --- Compensation for a complaint or a delay (issue 14, item 6) ---

# Who proposes what the couple is given: customer service, who settles complaints, and the
# manager. Only a store manager of the branch approves.
PROPOSES_COMPENSATION = frozenset({roles.CUSTOMER_SERVICE, roles.MANAGER})
APPROVES_COMPENSATION = frozenset({roles.MANAGER})
# No 0/O or 1/I: the code is read out over the phone and typed at the desk.
VOUCHER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Production makes nothing more for these orders: a free item there has nowhere to go.
NO_MORE_PRODUCTION = (State.CANCELLED, State.DELIVERED)


def propose_compensation(
    *,
    by: Staff,
    kind: str,
    reason: str,
    complaint: Complaint | None = None,
    call_task: CallTask | None = None,
    amount: Amount | None = None,
    expires_on: date | None = None,
    price_item: PriceItem | None = None,
    quantity: int | None = 1,
    photo_number: int | None = None,
    method: str = "",
    now: datetime | None = None,
) -> Compensation:
    """Propose what settles a complaint or a delay apology (a call of kind "delay
    apology"): a voucher (value and expiry), a free item from the branch's price list made
    at no charge, or a refund of at most what the order has paid, refunds deducted. It
    takes effect only when a store manager approves it (`approve_compensation`)."""
    if (complaint is None) == (call_task is None):
        raise ValueError("A compensation settles one complaint or one delay apology.")
    source = cast(Complaint | CallTask, complaint or call_task)
    branch = source.branch
    if not by.has_role(*PROPOSES_COMPENSATION) or branch.pk not in by.branch_ids:
        raise PermissionDenied(
            _("Customer service or a store manager of the branch proposes compensation.")
        )
    if call_task is not None and call_task.kind != CallTask.Kind.DELAY_APOLOGY:
        raise ValidationError(_("Only a complaint or an apology for a delay is compensated."))
    order = source.order
    errors: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the couple is compensated.")
    needs_order = _("This complaint is not about an order: only a voucher can be given.")
    if kind == Compensation.Kind.VOUCHER:
        errors |= _amount_into(fields, amount, branch)
        if expires_on is None:
            errors["expires_on"] = _("Say until when the voucher is valid.")
        elif expires_on <= branch.today():
            errors["expires_on"] = _("The voucher must be valid after today.")
        fields["expires_on"] = expires_on
    elif kind == Compensation.Kind.FREE_ITEM:
        if order is None:
            errors["kind"] = needs_order
        elif order.state in NO_MORE_PRODUCTION:
            errors["kind"] = _no_more_production(order)
        if price_item is None:
            errors["price_item"] = _("Choose the product to make.")
        elif price_item.branch_id != branch.pk or price_item.product not in ADDED:
            errors["price_item"] = _("Choose a product of this branch's price list.")
        if quantity is None or not 1 <= quantity <= 99:
            errors["quantity"] = _("Make between 1 and 99 of it.")
        if photo_number is not None and photo_number < 1:
            errors["photo_number"] = _("Photo numbers start at 1.")
        fields |= {"price_item": price_item, "quantity": quantity, "photo_number": photo_number}
    elif kind == Compensation.Kind.REFUND:
        if method == LedgerEntry.STORED_VALUE and method not in refund_methods(order):
            errors["method"] = _(
                "Nothing of this order was paid from a stored-value card: the money goes "
                "back at the desk."
            )
        elif method not in refund_methods(order):
            errors["method"] = _("Choose how the money goes back.")
        if order is None:
            errors["kind"] = needs_order
        else:
            errors |= _amount_into(fields, amount, branch)
            errors |= _refundable_by(order, method, fields.get("amount"))
        fields["method"] = method
    else:
        errors["kind"] = _("Choose what the couple is given.")
    if errors:
        raise ValidationError(errors)
    return Compensation.objects.create(
        branch=branch,
        customer_id=source.customer_id,
        order=order,
        complaint=complaint,
        call_task=call_task,
        kind=kind,
        reason=reason,
        proposed_by=by,
        proposed_at=now or timezone.now(),
        **fields,
    )


def _amount_into(fields: dict[str, Any], amount: Amount | None, branch: Branch) -> dict[str, Any]:
    try:
        fields["amount"] = orders.checked_amount(cast(Amount, amount), branch=branch)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def refund_methods(order: Order | None) -> list[str]:
    """How a compensation's refund may go back: at the desk (any desk method), or onto the
    stored-value card the order was paid from, when something of it was (orders.services.
    refund_to_card: refunds go back the way the money came)."""
    methods = list(LedgerEntry.Method.values)
    if order is not None and orders.refundable(order)["card"] > ZERO:
        methods.append(LedgerEntry.STORED_VALUE)
    return methods


def _refundable_by(order: Order, method: str, amount: Decimal | None) -> dict[str, Any]:
    """No more than the order's money that came this way, refunds deducted: checked again
    under the order's lock when the refund is posted (orders.services.give_back)."""
    if amount is None or not method:
        return {}
    if method == LedgerEntry.STORED_VALUE:
        paid = orders.refundable(order)["card"]
        if amount > paid:
            return {
                "amount": _(
                    "Only %(paid)s was paid from the stored-value card, refunds deducted; "
                    "refund no more onto the card."
                )
                % {"paid": money(paid)}
            }
        return {}
    # Money paid at the desk goes back at the desk (orders.services.refund).
    paid = orders.refundable(order)["desk"]
    if amount > paid:
        return {
            "amount": _("Only %(paid)s has been paid, refunds deducted; refund no more.")
            % {"paid": money(paid)}
        }
    return {}


def _no_more_production(order: Order) -> str:
    return _(
        "Order %(number)s is %(state)s: production makes nothing more for it. Give a voucher "
        "or a refund."
    ) % {"number": order.number, "state": order.get_state_display()}


def _may_decide(compensation: Compensation, by: Staff) -> None:
    if not by.has_role(*APPROVES_COMPENSATION) or compensation.branch_id not in by.branch_ids:
        raise PermissionDenied(_("Only a store manager of the branch approves compensation."))


def _lock_proposed(compensation: Compensation) -> Compensation:
    """Lock the compensation; refuse it when someone decided it already (the second press
    of the button, or another manager a moment ago)."""
    locked = Compensation.objects.select_for_update().get(pk=compensation.pk)
    if locked.status != Compensation.Status.PROPOSED:
        decided_by = cast(Staff, locked.decided_by)
        raise AlreadyDone(
            _("Already decided: %(status)s by %(who)s.")
            % {"status": locked.get_status_display(), "who": decided_by.display_name}
        )
    return locked


def approve_compensation(
    *, compensation: Compensation, by: Staff, now: datetime | None = None
) -> Compensation:
    """A store manager of the branch approves: the compensation takes effect, exactly once
    (the row is locked and must still be waiting). A voucher gets its code; a free item
    goes onto the order's production at no charge; a refund is posted through
    orders.services.give_back (at the desk, or back onto the stored-value card the money
    came from), so the ledger's rules hold (never more than paid; a receipt). A refund onto
    cards may be several entries (bonus value and money apart, card by card): the first is
    `ledger_entry`, and all carry the request key `compensation:<pk>` (the rest `…:1`, `…:2`)."""
    now = now or timezone.now()
    _may_decide(compensation, by)
    with transaction.atomic():
        locked = _lock_proposed(compensation)
        if locked.kind == Compensation.Kind.VOUCHER:
            locked.voucher_code = _voucher_code(locked.branch)
        elif locked.kind == Compensation.Kind.FREE_ITEM:
            locked.production_item = _make_free_item(locked, now)
        else:
            locked.ledger_entry = orders.give_back(
                order=cast(Order, locked.order),
                method=locked.method,
                amount=cast(Decimal, locked.amount),
                staff=by,
                note=texts.COMPENSATION_REFUND(who=by.display_name, reason=locked.reason),
                request_key=f"compensation:{locked.pk}",
            )[0]
        locked.status = Compensation.Status.APPROVED
        locked.decided_by, locked.decided_at = by, now
        locked.save()
    return locked


def reject_compensation(
    *, compensation: Compensation, by: Staff, reason: str, now: datetime | None = None
) -> Compensation:
    """A store manager of the branch rejects a proposal, saying why; nothing is given."""
    reason = (reason or "").strip()
    _may_decide(compensation, by)
    if not reason:
        raise ValidationError({"rejection_reason": _("Say why it is rejected.")})
    with transaction.atomic():
        locked = _lock_proposed(compensation)
        locked.status = Compensation.Status.REJECTED
        locked.rejection_reason = reason
        locked.decided_by, locked.decided_at = by, now or timezone.now()
        locked.save()
    return locked


def _voucher_code(branch: Branch) -> str:
    while True:
        code = f"V{branch.code.upper()}-" + "".join(
            secrets.choice(VOUCHER_ALPHABET) for _n in range(8)
        )
        if not Compensation.objects.filter(voucher_code=code).exists():
            return code


def _make_free_item(compensation: Compensation, now: datetime) -> ProductionItem:
    """The free item joins the order's production, due with its other items (or after the
    branch's lead time when it has none). No charge: the couple owes nothing for it."""
    order = Order.objects.select_for_update().get(pk=compensation.order_id)
    if order.state in NO_MORE_PRODUCTION:
        raise ValidationError(_no_more_production(order))
    product = cast(PriceItem, compensation.price_item)
    due = ProductionItem.objects.filter(order=order).aggregate(due=Max("due_date"))["due"]
    if due is None:
        days = selectors.production_days(order.branch)
        due = timezone.localdate(now, order.branch.tzinfo) + timedelta(days=days)
    with translation.override(order.customer.language):
        name = product.label
    return ProductionItem.objects.create(
        order=order,
        product=product.product,
        size=product.size,
        name=name,
        quantity=compensation.quantity,
        photo_number=compensation.photo_number,
        due_date=due,
    )


# --- Vouchers used at the desk (issue 14, item 6; docs/decisions.md, "Vouchers") ---

# The desk that takes a couple's money takes their voucher too (as a card's payment).
REDEEMS_VOUCHERS = frozenset({roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER})
# A use made by mistake is given back by a store manager, with the reason.
REVERSES_VOUCHER_USES = frozenset({roles.MANAGER})


def voucher_code(typed: str) -> str:
    """The code as typed at the desk, in the form it was issued: full-width letters and
    digits made plain, lower case raised, spaces dropped ("vsh1 - abcd efgh")."""
    plain = unicodedata.normalize("NFKC", typed or "").upper()
    return "".join(plain.split())


def redeem_voucher(
    *,
    order: Order,
    code: str,
    staff: Staff,
    amount: Amount | None = None,
    request_key: str | None = None,
) -> VoucherUse:
    """Take an approved voucher off what `order` owes (the desk, for the couple it was
    given to). The voucher is the chain's: good on any order of its couple at any branch
    (the couple may have moved, orders.services.transfer_customer), by staff of the order's
    branch. Never after its last valid day, never more than is left of it nor more than the
    order still owes (`amount` left out: as much as both allow). Partial use is allowed;
    what is left is its value less its uses. It is not money: a negative `voucher` charge
    lowers the balance, the ledger (receipts, revenue, commissions, fapiao) is untouched.

    The voucher row is locked first (then the order), so two desks using the same code at
    once take its value once: the second reads what the first took."""
    if not staff.has_role(*REDEEMS_VOUCHERS):
        raise PermissionDenied(_("The front desk, a cashier or a store manager takes vouchers."))
    if order.branch_id not in staff.branch_ids:
        raise PermissionDenied(_("This order is not at your branch."))
    code = voucher_code(code)
    errors: dict[str, Any] = {}
    if not code:
        errors["code"] = _("Enter the voucher's code.")
    wanted: Decimal | None = None
    if amount not in (None, ""):
        try:
            wanted = orders.checked_amount(amount, branch=order.branch)
        except ValidationError as exc:
            errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)
    if done := done_with(VoucherUse.objects, request_key):
        return done
    try:
        with transaction.atomic():
            voucher = (
                Compensation.objects.select_for_update()
                .filter(
                    kind=Compensation.Kind.VOUCHER,
                    status=Compensation.Status.APPROVED,
                    voucher_code=code,
                )
                .first()
            )
            if voucher is None:
                raise ValidationError(
                    {"code": _("No voucher has the code %(code)s: check it with the couple.")
                     % {"code": code}}
                )  # fmt: skip
            locked = (
                Order.objects.select_for_update(of=("self",))
                .select_related("branch")
                .get(pk=order.pk)
            )
            if locked.branch_id not in staff.branch_ids:
                raise PermissionDenied(_("This order is not at your branch."))
            # The same form sent twice at once: the second waited for the voucher's lock.
            if done := done_with(VoucherUse.objects, request_key):
                return done
            used = _take_from_voucher(voucher, locked, wanted)
            charge = orders.add_charge(
                order=locked,
                kind=Charge.Kind.VOUCHER,
                amount=-used,
                description=texts.VOUCHER_USED(code=voucher.voucher_code),
                staff=staff,
            )
            return VoucherUse.objects.create(
                voucher=voucher,
                order=locked,
                branch=locked.branch,
                amount=used,
                charge=charge,
                staff=staff,
                request_key=request_key,
            )
    except IntegrityError:
        if request_key and (done := done_with(VoucherUse.objects, request_key)):
            return done
        raise


def _take_from_voucher(voucher: Compensation, order: Order, wanted: Decimal | None) -> Decimal:
    """How much of the (locked) voucher goes on the (locked) order, or why none may."""
    code = voucher.voucher_code
    if voucher.customer_id != order.customer_id:
        raise ValidationError(
            {"code": _("Voucher %(code)s was given to another couple: it pays only their orders.")
             % {"code": code}}
        )  # fmt: skip
    last_day = cast(date, voucher.expires_on)  # a voucher has its date (a constraint)
    if voucher.expired_on(order.branch.today()):
        raise ValidationError(
            {"code": _("Voucher %(code)s was valid until %(date)s: it has expired.")
             % {"code": code, "date": date_format(last_day, "SHORT_DATE_FORMAT")}}
        )  # fmt: skip
    value = cast(Decimal, voucher.amount)
    taken: Decimal = voucher.uses.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    left = value - taken
    if left <= ZERO:
        raise ValidationError(
            {"code": _("Voucher %(code)s is used up: its %(value)s was taken already.")
             % {"code": code, "value": money(value)}}
        )  # fmt: skip
    if order.state == State.CANCELLED:
        raise ValidationError(
            _("Order %(number)s is cancelled: a voucher cannot pay it.") % {"number": order.number}
        )
    due: Decimal = order.balance_due
    if due <= ZERO:
        raise ValidationError(_("Nothing is due on order %(number)s.") % {"number": order.number})
    if wanted is None:
        return min(left, due)
    if wanted > left:
        raise ValidationError(
            {"amount": _("Voucher %(code)s has only %(left)s left.")
             % {"code": code, "left": money(left)}}
        )  # fmt: skip
    if wanted > due:
        raise ValidationError(
            {"amount": _("Only %(due)s is still due on this order.") % {"due": money(due)}}
        )
    return wanted


def reverse_voucher_use(*, use: VoucherUse, staff: Staff, reason: str) -> VoucherUse:
    """A use made by mistake (the wrong order, the wrong amount) given back: the opposite
    row and a positive charge, so the order owes it again and the voucher has it again
    (even past its date: the couple did not spend it). A store manager of the order's
    branch, with the reason; once per use. The voucher is locked first, as for a use."""
    reason = (reason or "").strip()
    if not staff.has_role(*REVERSES_VOUCHER_USES):
        raise PermissionDenied(_("Only a store manager gives a voucher's use back."))
    if not reason:
        raise ValidationError({"reason": _("Say why the voucher's use is given back.")})
    with transaction.atomic():
        voucher = Compensation.objects.select_for_update().get(pk=use.voucher_id)
        original = VoucherUse.objects.select_related("order").get(pk=use.pk)
        order = Order.objects.select_for_update().get(pk=original.order_id)
        if order.branch_id not in staff.branch_ids:
            raise PermissionDenied(_("This order is not at your branch."))
        if original.is_reversal or VoucherUse.objects.filter(reverses=original).exists():
            raise AlreadyDone(_("Already done: this use was given back."))
        charge = orders.add_charge(
            order=order,
            kind=Charge.Kind.VOUCHER,
            amount=original.amount,
            description=texts.VOUCHER_GIVEN_BACK(code=voucher.voucher_code),
            staff=staff,
        )
        return VoucherUse.objects.create(
            voucher=voucher,
            order=order,
            branch=order.branch,
            amount=-original.amount,
            charge=charge,
            staff=staff,
            reverses=original,
            note=reason[:200],
        )
