"""Writes for orders and money. Every function is one transaction and locks what it changes.

The Order's transitions are called from here only (STYLE.md, point 4).
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from studio import roles, texts
from studio import services as studio_services
from studio.models import Branch, Customer, MembershipLevelRule, Package, Staff
from studio.request_keys import done_with
from studio.templatetags.studio import money
from studio.texts import Words
from studio.validators import Amount, amount_ceiling, check_amount, normalise_credit_code

from . import facts, fsm, selectors
from . import texts as order_texts
from .guards import blocked_reasons
from .models import (
    ZERO,
    CardBonusRule,
    CardEntry,
    CardHolder,
    Charge,
    FapiaoRequest,
    Instalment,
    LedgerEntry,
    Order,
    OrderSequence,
    PlanRevision,
    ReceiptSequence,
    ReferralReward,
    State,
    StoredValueCard,
    Transfer,
    TransferredOrder,
)

# The Order's transitions, in the order orders/models.py declares them.
TRANSITIONS = fsm.names(Order)


class TransitionBlocked(ValidationError):
    """A transition was refused; `messages` say what is missing."""


class AlreadyDone(TransitionBlocked, studio_services.AlreadyDone):
    """Someone else made the same transition a moment ago."""


def transition_order(
    *, order: Order, name: str, by: User | AnonymousUser | None, note: str = ""
) -> Order:
    """Fire transition `name` on `order` as staff user `by`.

    The order row is locked first, so two people pressing the same button at once produce
    one transition: the second finds the order already moved and is told so.
    """
    if name not in TRANSITIONS:
        raise ValueError(f"Unknown transition {name!r}")
    with transaction.atomic():
        locked: Order = (
            Order.objects.select_for_update(of=("self",)).select_related("branch").get(pk=order.pk)
        )
        found = fsm.current(locked, name)
        if found is None:
            if locked.state in fsm.targets(Order, name):
                raise AlreadyDone(
                    _("Already done: this order is already %(state)s.")
                    % {"state": locked.get_state_display()}
                )
            raise TransitionBlocked(
                _("This order is %(state)s, so it cannot be %(action)s now.")
                % {"state": locked.get_state_display(), "action": transition_label(name)}
            )
        method = getattr(locked, name)
        # `by` is None when the system moves the order (a task): no permission is asked then.
        if not found.has_perm(locked, by):  # type: ignore[arg-type]
            permission: Any = found.permission  # a guard: it says why
            raise PermissionDenied(str(permission.message))
        reasons = blocked_reasons(locked, name)
        if reasons:
            raise TransitionBlocked(reasons)
        method(by=by, description=note or None)
        locked.save()
    order.refresh_from_db()
    return locked


def transition_label(name: str) -> str:
    """What transition `name` did, in the reader's language ("cancelled")."""
    return str(fsm.custom(Order, name)["done"])


def transition_button(name: str) -> str:
    """The button of transition `name`, in the reader's language ("Cancel order")."""
    return str(fsm.custom(Order, name)["label"])


def next_order_number(*, branch: Branch) -> str:
    year = timezone.localtime(timezone.now(), branch.tzinfo).year
    seq, _created = OrderSequence.objects.select_for_update().get_or_create(
        branch=branch, year=year
    )
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{branch.code.upper()}{year}{seq.last:05d}"


def _next_receipt_no(branch: Branch) -> str:
    """Numbers never collide and never skip: the counter row is locked until commit."""
    ReceiptSequence.objects.get_or_create(branch=branch)
    seq = ReceiptSequence.objects.select_for_update().get(branch=branch)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{branch.code.upper()}-R{seq.last:07d}"


def _record(
    *,
    order: Order,
    kind: str,
    method: str,
    amount: Decimal,
    staff: Staff,
    note: Words = "",
    reverses: LedgerEntry | None = None,
    request_key: str | None = None,
) -> LedgerEntry:
    return LedgerEntry.objects.create(
        branch=order.branch,
        order=order,
        kind=kind,
        method=method,
        amount=amount,
        receipt_no=_next_receipt_no(order.branch),
        staff=staff,
        **texts.stored(note, "note"),
        reverses=reverses,
        request_key=request_key,
    )


PAYMENT_KINDS = (
    LedgerEntry.Kind.DEPOSIT,
    LedgerEntry.Kind.BALANCE,
    LedgerEntry.Kind.SELECTION_UPSELL,
    LedgerEntry.Kind.PICKUP_UPSELL,
    LedgerEntry.Kind.RENTAL_FEE,
)


def checked_amount(
    amount: Amount, *, branch: Branch | None, field: str = "amount", zero_allowed: bool = False
) -> Decimal:
    """One money entry at a branch: positive, whole fen, at most the branch's ceiling
    (studio.validators.check_amount). A wrong one is refused at its field."""
    try:
        return check_amount(amount, ceiling=amount_ceiling(branch), zero_allowed=zero_allowed)
    except (ValidationError, ArithmeticError, TypeError) as exc:
        messages = getattr(exc, "messages", [_("Enter an amount in yuan, e.g. 1280.00.")])
        raise ValidationError({field: messages}) from None


def take_payment(
    *,
    order: Order,
    kind: str,
    method: str,
    amount: Amount,
    staff: Staff,
    note: Words = "",
    request_key: str | None = None,
) -> LedgerEntry:
    """Money in towards what the order owes. Never more than is due.

    With a `request_key`, a repeated submit of the same form returns the first entry.
    """
    amount = Decimal(amount)
    if existing := done_with(LedgerEntry.objects, request_key):
        return existing
    if kind not in PAYMENT_KINDS:
        raise ValidationError({"kind": _("This is not a kind of payment.")})
    refuse_card_method(method)
    checked_amount(amount, branch=order.branch)
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            # The same form sent twice at once: the second waited for the order's lock and
            # now finds what the first one took (never "more than is due").
            if existing := done_with(LedgerEntry.objects, request_key):
                return existing
            if locked.state == State.CANCELLED:
                raise ValidationError(_("This order is cancelled; it takes no payments."))
            due = locked.balance_due
            if amount > due:
                raise ValidationError(
                    {"amount": _("That is more than the %(due)s still due.") % {"due": money(due)}}
                )
            return _record(
                order=locked,
                kind=kind,
                method=method,
                amount=amount,
                staff=staff,
                note=note,
                request_key=request_key,
            )
    except IntegrityError:
        if request_key:
            return LedgerEntry.objects.get(request_key=request_key)
        raise


def refundable(order: Order) -> dict[str, Decimal]:
    """What may still go back to the customer, by the way it was paid: "card" (paid from a
    stored-value card, real and bonus value) goes back onto the card, "desk" (cash, bank
    card, WeChat, Alipay, transfer) goes back at the desk. Holds are given back on their
    own (`return_hold`), and what was kept of one was never paid for the order
    (`LedgerEntry.NOT_PAID`). Read under the order's lock when it decides a refund."""
    sums = dict(
        order.ledger.exclude(kind__in=LedgerEntry.NOT_PAID)
        .annotate(
            by_card=Case(
                When(method=LedgerEntry.STORED_VALUE, then=Value(True)),
                default=Value(False),
            )
        )
        .values_list("by_card")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    card = max(sums.get(True) or ZERO, ZERO)
    desk = max(sums.get(False) or ZERO, ZERO)
    return {"card": card, "desk": desk}


def refund_methods(order: Order) -> list[tuple[str, str]]:
    """The methods a refund of this order may use: the card's when money came from a card,
    the desk's when money came at the desk."""
    open_to = refundable(order)
    methods: list[tuple[str, str]] = []
    if open_to["card"] > ZERO:
        methods.append((LedgerEntry.STORED_VALUE, _("Back onto the stored-value card")))
    if open_to["desk"] > ZERO:
        methods.extend((value, str(label)) for value, label in LedgerEntry.Method.choices)
    return methods


def give_back(
    *,
    order: Order,
    method: str,
    amount: Amount,
    staff: Staff,
    note: Words,
    request_key: str | None = None,
) -> list[LedgerEntry]:
    """The order page's refund (docs/decisions.md, "Refunds go back the way they came"):
    onto the stored-value card (`refund_to_card`) or at the desk (`refund`)."""
    if method == LedgerEntry.STORED_VALUE:
        return refund_to_card(
            order=order, amount=amount, staff=staff, note=note, request_key=request_key
        )
    return [
        refund(
            order=order,
            method=method,
            amount=amount,
            staff=staff,
            note=note,
            request_key=request_key,
        )
    ]


def _no_more_than(amount: Decimal, open_to: Decimal, message: str) -> None:
    if amount > open_to:
        raise ValidationError({"amount": message % {"paid": money(open_to)}})


def refund(
    *,
    order: Order,
    method: str,
    amount: Amount,
    staff: Staff,
    note: Words,
    request_key: str | None = None,
) -> LedgerEntry:
    """Money back at the desk: never more than was paid at the desk. Money paid from a
    stored-value card never leaves as cash: it goes back onto the card."""
    amount = checked_amount(amount, branch=order.branch)
    if method == LedgerEntry.STORED_VALUE:
        raise ValidationError(
            {"method": _("Money paid from a stored-value card goes back onto the card.")}
        )
    if method not in LedgerEntry.Method.values:
        raise ValidationError({"method": _("Choose how the money goes back.")})
    if not note:
        raise ValidationError({"note": _("Say why the money is refunded.")})
    if done := done_with(LedgerEntry.objects, request_key):
        return done
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if done := done_with(LedgerEntry.objects, request_key):
            return done
        open_to = refundable(locked)
        if amount > open_to["desk"] and open_to["card"] > ZERO:
            _no_more_than(
                amount,
                open_to["desk"],
                _(
                    "Only %(paid)s was paid at the desk; money paid from the stored-value "
                    "card goes back onto the card."
                ),
            )
        _no_more_than(amount, open_to["desk"], _("Only %(paid)s has been paid; refund no more."))
        return _record(
            order=locked,
            kind=LedgerEntry.Kind.REFUND,
            method=method,
            amount=-amount,
            staff=staff,
            note=note,
            request_key=request_key,
        )


def refund_to_card(
    *,
    order: Order,
    amount: Amount,
    staff: Staff,
    note: Words,
    request_key: str | None = None,
) -> list[LedgerEntry]:
    """Money paid from stored-value cards back onto them: never more than the order took
    from the cards, and onto the card it came from (the latest spend first). Of each card,
    the bonus value spent goes back first, then the real money (the spend took real money
    first: this undoes it from the end). Each part is a ledger entry (the real part a
    `refund`, the bonus part a negative `card_bonus`, never revenue) with the card entry that
    puts it back. The cards are locked before the order, as in `pay_from_card`, so two
    refunds at once never give back more than was paid from the cards."""
    amount = checked_amount(amount, branch=order.branch)
    if not note:
        raise ValidationError({"note": _("Say why the money is refunded.")})

    def done() -> list[LedgerEntry]:
        if not request_key:
            return []
        return list(
            LedgerEntry.objects.filter(
                Q(request_key=request_key) | Q(request_key__startswith=f"{request_key}:")
            ).order_by("pk")
        )

    if already := done():
        return already
    with transaction.atomic():
        card_ids = sorted(
            set(
                CardEntry.objects.filter(ledger_entry__order=order).values_list(
                    "card_id", flat=True
                )
            )
        )
        list(StoredValueCard.objects.select_for_update().filter(pk__in=card_ids).order_by("pk"))
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if already := done():
            return already
        open_to = refundable(locked)["card"]
        _no_more_than(
            amount, open_to, _("Only %(paid)s was paid from the stored-value card; refund no more.")
        )
        # What the order still holds of each card, real and bonus apart, latest spend first.
        held = (
            CardEntry.objects.filter(ledger_entry__order=locked)
            .values("card_id")
            .annotate(real=Sum("real"), bonus=Sum("bonus"), last=Max("pk"))
            .order_by("-last")
        )
        entries: list[LedgerEntry] = []
        left = amount
        for row in held:
            for side, kind in (
                ("bonus", LedgerEntry.Kind.CARD_BONUS),
                ("real", LedgerEntry.Kind.REFUND),
            ):
                part = min(left, max(-(row["bonus"] if side == "bonus" else row["real"]), ZERO))
                if part <= ZERO:
                    continue
                key = None
                if request_key:
                    key = request_key if not entries else f"{request_key}:{len(entries)}"
                entry = _record(
                    order=locked,
                    kind=kind,
                    method=LedgerEntry.STORED_VALUE,
                    amount=-part,
                    staff=staff,
                    note=note,
                    request_key=key,
                )
                CardEntry.objects.create(
                    card_id=row["card_id"],
                    branch=locked.branch,
                    kind=CardEntry.Kind.RETURNED,
                    method=LedgerEntry.STORED_VALUE,
                    **{side: part},
                    receipt_no=entry.receipt_no,
                    ledger_entry=entry,
                    staff=staff,
                    note=entry.note_text,
                )
                entries.append(entry)
                left -= part
        return entries


def take_hold(
    *, order: Order, kind: str, method: str, amount: Amount, staff: Staff, note: Words = ""
) -> LedgerEntry:
    """A refundable deposit (locker key, rental): held, never revenue."""
    amount = Decimal(amount)
    if kind not in LedgerEntry.HOLDS:
        raise ValidationError({"kind": _("This is not a refundable deposit.")})
    checked_amount(amount, branch=order.branch)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        return _record(
            order=locked, kind=kind, method=method, amount=amount, staff=staff, note=note
        )


def return_hold(
    *,
    order: Order,
    kind: str,
    method: str,
    staff: Staff,
    amount: Amount | None = None,
    keep: Amount = ZERO,
    keep_reason: str = "",
) -> list[LedgerEntry]:
    """Give a refundable deposit back, keeping `keep` of it (damage, a lost key) with a reason."""
    keep = Decimal(keep)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        held = locked.hold_outstanding(kind)
        if held <= ZERO:
            raise ValidationError(_("No deposit of this kind is held for this order."))
        amount = held if amount is None else Decimal(amount)
        if keep < ZERO or keep > amount:
            raise ValidationError({"keep": _("Keep between nothing and the whole deposit.")})
        if amount > held:
            raise ValidationError(
                {"amount": _("Only %(held)s is held; return no more.") % {"held": held}}
            )
        if keep > ZERO and not keep_reason:
            raise ValidationError({"keep_reason": _("Say why part of the deposit is kept.")})
        entries = [
            _record(
                order=locked,
                kind=kind,
                method=method,
                amount=-amount,
                staff=staff,
                note=keep_reason,
            )
        ]
        if keep > ZERO:
            entries.append(
                _record(
                    order=locked,
                    kind=LedgerEntry.Kind.FORFEITED_HOLD,
                    method=method,
                    amount=keep,
                    staff=staff,
                    note=keep_reason,
                )
            )
        return entries


def reverse_entry(*, entry: LedgerEntry, staff: Staff, note: Words) -> LedgerEntry:
    """Correct a mistaken entry with its exact opposite; the original stays on record."""
    if not note:
        raise ValidationError({"note": _("Say why the entry is reversed.")})
    with transaction.atomic():
        original = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if original.reverses_id or hasattr(original, "reversed_by"):
            raise ValidationError(_("This entry is a reversal or was already reversed."))
        if original.method == LedgerEntry.STORED_VALUE:
            return _reverse_card_payment(original=original, staff=staff, note=note)
        return _record(
            order=original.order,
            kind=original.kind,
            method=original.method,
            amount=-original.amount,
            staff=staff,
            note=note,
            reverses=original,
        )


def add_charge(
    *,
    order: Order,
    kind: str,
    amount: Amount,
    description: Words,
    staff: Staff,
    approved_by: Staff | None = None,
) -> Charge:
    """Record what the customer owes beyond the package (an upsell, a fee). The
    description is words staff typed, or (kind, params) of studio.texts, rendered in the
    language of whoever reads it (the customer's on their documents)."""
    amount = Decimal(amount)
    if amount == ZERO:
        raise ValidationError({"amount": _("The amount cannot be zero.")})
    checked_amount(abs(amount), branch=order.branch)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        return Charge.objects.create(
            order=locked,
            kind=kind,
            amount=amount,
            **texts.stored(description, "description"),
            created_by=staff,
            approved_by=approved_by,
        )


def create_order(
    *,
    customer: Customer,
    package: Package,
    owner: Staff,
    created_by: Staff,
    discount: Amount = ZERO,
    discount_approved_by: Staff | None = None,
    deposit: Amount,
    deposit_method: str,
    gifts: str = "",
    style_wishes: str = "",
    notes: str = "",
    wanted_shoot_month: date | None = None,
    request_key: str | None = None,
) -> Order:
    """Sign the planning document (企划书): the order exists once the deposit is taken.

    Discounts beyond the branch limit need a manager's approval; no price goes below the
    package's floor.
    """
    # A double-clicked signing form signs once: the deposit's key finds the first order.
    if first := done_with(LedgerEntry.objects.select_related("order"), request_key):
        return first.order
    discount = Decimal(discount)
    deposit = Decimal(deposit)
    branch = customer.branch
    errors: dict[str, Any] = {}
    if discount < ZERO:
        errors["discount"] = _("A discount cannot be negative.")
    else:
        try:
            checked_amount(discount, branch=branch, field="discount", zero_allowed=True)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    agreed = package.price - discount
    if agreed < package.floor_price:
        errors["discount"] = _("The price cannot go below %(floor)s for this package.") % {
            "floor": money(package.floor_price)
        }
    elif discount > branch.discount_limit and not (
        discount_approved_by is not None and discount_approved_by.is_manager
    ):
        errors["discount"] = _("A discount above %(limit)s needs a store manager's approval.") % {
            "limit": money(branch.discount_limit)
        }
    if deposit <= ZERO:
        errors["deposit"] = _("The deposit must be more than zero.")
    elif deposit != deposit.quantize(Decimal("0.01")):
        errors["deposit"] = _("Give the amount in yuan and fen (two decimals).")
    elif deposit > agreed:
        errors["deposit"] = _("The deposit cannot be more than the agreed price.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order: Order = Order.objects.create(
            branch=branch,
            number=next_order_number(branch=branch),
            customer=customer,
            package=package,
            owner=owner,
            package_price=package.price,
            discount=discount,
            discount_approved_by=discount_approved_by if discount > branch.discount_limit else None,
            agreed_price=agreed,
            gifts=gifts,
            style_wishes=style_wishes,
            notes=notes,
            wanted_shoot_month=wanted_shoot_month,
        )
        entry = take_payment(
            order=order,
            kind=LedgerEntry.Kind.DEPOSIT,
            method=deposit_method,
            amount=deposit,
            staff=created_by,
            request_key=request_key,
        )
        if entry.order_id != order.pk:
            # The same submit won the race a moment ago: undo this copy, keep the first
            # (read before the rollback is marked: no query may run after it).
            signed: Order = Order.objects.get(pk=entry.order_id)
            transaction.set_rollback(True)
            return signed
        reward_referral(order=order)
    return order


# --- Referrals (DOMAIN.md stage 8: referral reward, membership upgrade at thresholds) ---

LEVEL_RANK = {level: rank for rank, level in enumerate(Customer.Level.values)}


def reward_referral(*, order: Order) -> ReferralReward | None:
    """Reward the couple who referred `order`'s customer, once per referred order.

    The reward is the voucher of the highest `MembershipLevelRule` the referrer's count of
    referred couples (this one included) reaches, and the referrer's card rises to that
    level; a card never goes down (a manager's upgrade stays). Vouchers are words, not money
    in the ledger. The referrer's row is locked, so two referred couples signing at once
    count as two. Returns the `ReferralReward`, or None when nobody referred the couple.
    """
    referred = order.customer
    if referred.referrer_id is None or referred.referrer_id == referred.pk:
        return None
    with transaction.atomic():
        referrer = Customer.objects.select_for_update(no_key=True).get(pk=referred.referrer_id)
        existing = ReferralReward.objects.filter(referred_order=order).first()
        if existing is not None:
            return existing
        couples = set(
            ReferralReward.objects.filter(referrer=referrer).values_list(
                "referred_order__customer_id", flat=True
            )
        )
        couples.add(referred.pk)
        rule = (
            MembershipLevelRule.objects.filter(referrals_needed__lte=len(couples))
            .order_by("-referrals_needed")
            .first()
        )
        before = referrer.membership_level
        after = before
        if rule is not None and LEVEL_RANK[rule.level] > LEVEL_RANK.get(before, 0):
            after = rule.level
            Customer.objects.filter(pk=referrer.pk).update(membership_level=after)
        return ReferralReward.objects.create(
            referrer=referrer,
            referred_order=order,
            reward=rule.reward if rule is not None else "",
            level_before=before,
            level_after=after,
        )


def refuse_card_method(method: str) -> None:
    """Card money moves through `pay_from_card` and the card's own refund only, so the
    card's entries and the order's ledger always agree."""
    if method == LedgerEntry.STORED_VALUE:
        raise ValidationError(
            {"method": _("Payments from a stored-value card are taken on the card's page.")}
        )


# --- Stored-value cards (储值卡; docs/decisions.md, "Stored-value cards") ---
# Locks are taken card first, then order, in every function, so two tills never wait on
# each other in a circle.


def open_card(*, customer: Customer, staff: Staff) -> StoredValueCard:
    """The customer's card at their branch; opened once, whoever presses first."""
    card, _created = StoredValueCard.objects.get_or_create(
        customer=customer,
        defaults={
            "branch": customer.branch,
            "number": f"{customer.branch.code.upper()}-C{customer.pk:07d}",
            "opened_by": staff,
        },
    )
    return card


def card_bonus_for(*, branch: Branch, amount: Decimal) -> Decimal:
    """The bonus of the branch's best active rule this top-up reaches (not added up)."""
    rule = (
        CardBonusRule.objects.filter(branch=branch, is_active=True, top_up__lte=amount)
        .order_by("-top_up")
        .first()
    )
    return rule.bonus if rule is not None else ZERO


def top_up_card(
    *,
    card: StoredValueCard,
    method: str,
    amount: Amount,
    staff: Staff,
    note: str = "",
    request_key: str | None = None,
) -> CardEntry:
    """Money paid onto the card at the desk, with the branch's bonus value beside it. It is
    not revenue: the branch owes it to the customer until it is spent on an order."""
    amount = checked_amount(amount, branch=card.branch)
    if method not in LedgerEntry.Method.values:
        raise ValidationError({"method": _("Choose how the customer pays.")})
    existing = done_with(CardEntry.objects, request_key)
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = StoredValueCard.objects.select_for_update().get(pk=card.pk)
        existing = done_with(CardEntry.objects, request_key)
        if existing is not None:
            return existing
        return CardEntry.objects.create(
            card=locked,
            branch=locked.branch,
            kind=CardEntry.Kind.TOP_UP,
            method=method,
            real=amount,
            bonus=card_bonus_for(branch=locked.branch, amount=amount),
            receipt_no=_next_receipt_no(locked.branch),
            staff=staff,
            note=note,
            request_key=request_key,
        )


def pay_from_card(
    *,
    card: StoredValueCard,
    order: Order,
    kind: str,
    amount: Amount,
    staff: Staff,
    request_key: str | None = None,
) -> list[LedgerEntry]:
    """Pay towards `order` from the card of its customer at the same branch. Real money is
    spent first, then bonus value; each part is a ledger entry of its own (the bonus part as
    `card_bonus`, paid but never revenue) with the card entry that took it off the card.
    Never more than the card holds nor more than the order owes: the card row is locked,
    so two tills spending the last of it at once make one payment."""
    amount = checked_amount(amount, branch=order.branch)
    if kind not in PAYMENT_KINDS:
        raise ValidationError({"kind": _("This is not a kind of payment.")})
    keys = [request_key, f"{request_key}:bonus"] if request_key else []
    if keys and LedgerEntry.objects.filter(request_key__in=keys).exists():
        return list(LedgerEntry.objects.filter(request_key__in=keys).order_by("pk"))
    with transaction.atomic():
        locked_card = StoredValueCard.objects.select_for_update().get(pk=card.pk)
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked_card.branch_id != locked.branch_id:
            raise ValidationError(
                _("This card belongs to another customer or branch; it cannot pay this order.")
            )
        if not locked_card.is_held_by(locked.customer_id):
            raise ValidationError(
                _("%(name)s does not hold this card: the main holder adds them at the desk first.")
                % {"name": locked.customer}
            )
        if keys and LedgerEntry.objects.filter(request_key__in=keys).exists():
            # The same form sent twice at once: the second waited for the card's lock.
            return list(LedgerEntry.objects.filter(request_key__in=keys).order_by("pk"))
        if locked.state == State.CANCELLED:
            raise ValidationError(_("This order is cancelled; it takes no payments."))
        due = locked.balance_due
        if amount > due:
            raise ValidationError(
                {"amount": _("That is more than the %(due)s still due.") % {"due": money(due)}}
            )
        real, bonus = locked_card.balances
        if amount > real + bonus:
            raise ValidationError(
                {"amount": _("The card holds only %(balance)s.") % {"balance": money(real + bonus)}}
            )
        from_real = min(amount, real)
        parts = [
            (kind, from_real, "real", keys[0] if keys else None),
            (LedgerEntry.Kind.CARD_BONUS, amount - from_real, "bonus", keys[1] if keys else None),
        ]
        entries = []
        for part_kind, part, side, key in parts:
            if part <= ZERO:
                continue
            entry = _record(
                order=locked,
                kind=part_kind,
                method=LedgerEntry.STORED_VALUE,
                amount=part,
                staff=staff,
                request_key=key,
            )
            CardEntry.objects.create(
                card=locked_card,
                branch=locked_card.branch,
                kind=CardEntry.Kind.SPEND,
                method=LedgerEntry.STORED_VALUE,
                **{side: -part},
                receipt_no=entry.receipt_no,
                ledger_entry=entry,
                staff=staff,
                payer_id=locked.customer_id,
            )
            entries.append(entry)
        return entries


def cards_of(customer: Customer) -> list[StoredValueCard]:
    """The cards a customer may pay from: their own and the family cards they hold."""
    return selectors.customer_cards(customer)


def add_card_holder(
    *, card: StoredValueCard, customer: Customer, agreement: str, staff: Staff, note: str = ""
) -> CardHolder:
    """A family member (a customer of the card's branch) may pay from the card from now on,
    with the main holder's agreement recorded. The card row is locked, so a payment at the
    same moment sees the holders before or after, never half."""
    if agreement not in CardHolder.Agreement.values:
        raise ValidationError({"agreement": _("Record how the main holder agreed.")})
    with transaction.atomic():
        locked = StoredValueCard.objects.select_for_update().get(pk=card.pk)
        if customer.branch_id != locked.branch_id:
            raise ValidationError(
                {"phone": _("Only customers of %(branch)s can share this card.")
                 % {"branch": locked.branch.name}}
            )  # fmt: skip
        if customer.pk == locked.customer_id:
            raise ValidationError({"phone": _("This is the card's main holder.")})
        if locked.is_held_by(customer.pk):
            raise AlreadyDone(
                _("Already done: %(name)s already pays from this card.") % {"name": customer}
            )
        return CardHolder.objects.create(
            card=locked, customer=customer, agreement=agreement, note=note, added_by=staff
        )


def remove_card_holder(*, holder: CardHolder, agreement: str, staff: Staff) -> CardHolder:
    """The family member no longer pays from the card (the main holder agreed); the row is
    kept with who removed it and when."""
    if agreement not in CardHolder.Agreement.values:
        raise ValidationError({"agreement": _("Record how the main holder agreed.")})
    with transaction.atomic():
        StoredValueCard.objects.select_for_update().get(pk=holder.card_id)
        locked = CardHolder.objects.select_for_update().get(pk=holder.pk)
        if locked.removed_at is not None:
            raise AlreadyDone(
                _("Already done: %(name)s no longer pays from this card.")
                % {"name": locked.customer}
            )
        locked.removed_at = timezone.now()
        locked.removed_by = staff
        locked.removed_agreement = agreement
        locked.save(update_fields=["removed_at", "removed_by", "removed_agreement"])
        return locked


def refund_card(
    *, card: StoredValueCard, method: str, staff: Staff, note: str, request_key: str | None = None
) -> CardEntry:
    """Give back the real money left on the card; the bonus value left is forfeited (the
    branch gave it, the customer never paid it). One entry, one receipt."""
    if not note:
        raise ValidationError({"note": _("Say why the card is refunded.")})
    if method not in LedgerEntry.Method.values:
        raise ValidationError({"method": _("Choose how the money goes back.")})
    existing = done_with(CardEntry.objects, request_key)
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = StoredValueCard.objects.select_for_update().get(pk=card.pk)
        existing = done_with(CardEntry.objects, request_key)
        if existing is not None:
            return existing
        real, bonus = locked.balances
        if real <= ZERO and bonus <= ZERO:
            raise ValidationError(_("Nothing is left on this card to refund."))
        return CardEntry.objects.create(
            card=locked,
            branch=locked.branch,
            kind=CardEntry.Kind.REFUND,
            method=method,
            real=-real,
            bonus=-bonus,
            receipt_no=_next_receipt_no(locked.branch),
            staff=staff,
            note=note,
            request_key=request_key,
        )


def reverse_card_entry(*, entry: CardEntry, staff: Staff, note: str) -> CardEntry:
    """Correct a mistaken top-up or refund with its exact opposite, while the card still
    holds what the correction takes off. A payment from the card is corrected on the
    order's ledger (`reverse_entry`), which puts the money back on the card."""
    if not note:
        raise ValidationError({"note": _("Say why the entry is reversed.")})
    with transaction.atomic():
        card = StoredValueCard.objects.select_for_update().get(pk=entry.card_id)
        original = CardEntry.objects.get(pk=entry.pk)
        if original.kind not in (CardEntry.Kind.TOP_UP, CardEntry.Kind.REFUND):
            raise ValidationError(
                _("A payment from the card is reversed on the order, with its receipt.")
            )
        if hasattr(original, "reversed_by"):
            raise ValidationError(_("This entry is a reversal or was already reversed."))
        real, bonus = card.balances
        if real - original.real < ZERO or bonus - original.bonus < ZERO:
            raise ValidationError(
                _("Part of this top-up was already spent: refund what is left instead.")
            )
        return CardEntry.objects.create(
            card=card,
            branch=card.branch,
            kind=CardEntry.Kind.REVERSAL,
            method=original.method,
            real=-original.real,
            bonus=-original.bonus,
            receipt_no=_next_receipt_no(card.branch),
            staff=staff,
            note=note,
            reverses=original,
        )


def _reverse_card_payment(*, original: LedgerEntry, staff: Staff, note: Words) -> LedgerEntry:
    """The opposite of a payment from a card, in the ledger and on the card (whose row is
    locked: the money is back on it at once). Called inside `reverse_entry`'s transaction."""
    spent = CardEntry.objects.get(ledger_entry=original)
    card = StoredValueCard.objects.select_for_update().get(pk=spent.card_id)
    real, bonus = card.balances
    if real - spent.real < ZERO or bonus - spent.bonus < ZERO:
        # A refund onto the card, already spent again: the card cannot give it back.
        raise ValidationError(_("The card no longer holds what this correction takes off it."))
    reversal = _record(
        order=original.order,
        kind=original.kind,
        method=original.method,
        amount=-original.amount,
        staff=staff,
        note=note,
        reverses=original,
    )
    CardEntry.objects.create(
        card_id=spent.card_id,
        branch=spent.branch,
        kind=CardEntry.Kind.REVERSAL,
        method=spent.method,
        real=-spent.real,
        bonus=-spent.bonus,
        receipt_no=reversal.receipt_no,
        ledger_entry=reversal,
        staff=staff,
        note=reversal.note_text,
        reverses=spent,
    )
    return reversal


# --- Fapiao requests (发票; docs/decisions.md, "Fapiao") ---


def invoiceable(
    order: Order,
    *,
    entries: Iterable[LedgerEntry] | None = None,
    requests: Iterable[FapiaoRequest] | None = None,
) -> Decimal:
    """What may still be invoiced: the money the studio earned on the order (paid, less
    holds and card bonus value, less refunds) less what is requested or issued already.
    `entries` and `requests`: the order's whole ledger and fapiao requests when the caller
    has read them (the order page), else they are summed in the database."""
    if entries is None:
        earned: Decimal = order._ledger_sum(~Q(kind__in=LedgerEntry.NOT_REVENUE))
    else:
        earned = sum((e.amount for e in entries if e.kind not in LedgerEntry.NOT_REVENUE), ZERO)
    cancelled = FapiaoRequest.Status.CANCELLED
    if requests is None:
        asked: Decimal = order.fapiao_requests.exclude(status=cancelled).aggregate(
            total=Coalesce(Sum("amount"), ZERO, output_field=DecimalField())
        )["total"]
    else:
        asked = sum((r.amount for r in requests if r.status != cancelled), ZERO)
    return earned - asked


def request_fapiao(
    *,
    order: Order,
    title_kind: str,
    title: str,
    tax_number: str = "",
    amount: Amount,
    staff: Staff,
    request_key: str | None = None,
) -> FapiaoRequest:
    """Record a customer's fapiao request: a company needs its valid tax number (unified
    social credit code), and no more is invoiced than was paid. The order row is locked,
    so two requests at once cannot together pass what was paid."""
    amount = checked_amount(amount, branch=order.branch)
    errors: dict[str, Any] = {}
    title = title.strip()
    if title_kind not in FapiaoRequest.Title.values:
        errors["title_kind"] = _("Choose a personal or a company title.")
    if not title:
        errors["title"] = _("Give the name the fapiao is made out to.")
    if title_kind == FapiaoRequest.Title.COMPANY:
        try:
            tax_number = normalise_credit_code(tax_number)
        except ValidationError as exc:
            errors["tax_number"] = exc.messages
    else:
        tax_number = ""
    if errors:
        raise ValidationError(errors)
    if existing := done_with(FapiaoRequest.objects, request_key):
        return existing
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if existing := done_with(FapiaoRequest.objects, request_key):
            return existing
        left = invoiceable(locked)
        if amount > left:
            raise ValidationError(
                {
                    "amount": _("Only %(left)s paid is not invoiced yet; ask for no more.")
                    % {"left": money(max(left, ZERO))}
                }
            )
        return FapiaoRequest.objects.create(
            order=locked,
            title_kind=title_kind,
            title=title,
            tax_number=tax_number,
            amount=amount,
            requested_by=staff,
            request_key=request_key,
        )


ISSUES_FAPIAO = {roles.CASHIER, roles.MANAGER}


def _may_issue(staff: Staff) -> None:
    if not staff.has_role(*ISSUES_FAPIAO):
        raise PermissionDenied(_("Only a cashier or a store manager issues fapiao."))


def issue_fapiao(
    *, fapiao: FapiaoRequest, number: str, issued_on: date, staff: Staff
) -> FapiaoRequest:
    """Requested → issued, with the fapiao's number and date; once (a second press is told)."""
    _may_issue(staff)
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Give the fapiao's number.")})
    with transaction.atomic():
        locked = FapiaoRequest.objects.select_for_update().get(pk=fapiao.pk)
        if locked.status != FapiaoRequest.Status.REQUESTED:
            raise ValidationError(
                _("This fapiao request is already %(status)s.")
                % {"status": locked.get_status_display()}
            )
        locked.status = FapiaoRequest.Status.ISSUED
        locked.fapiao_number = number
        locked.issued_on = issued_on
        locked.decided_by = staff
        locked.save(update_fields=["status", "fapiao_number", "issued_on", "decided_by"])
        return locked


def cancel_fapiao(*, fapiao: FapiaoRequest, staff: Staff, reason: str) -> FapiaoRequest:
    """A request withdrawn, or an issued fapiao voided (红冲): its amount may be asked again."""
    _may_issue(staff)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the fapiao is cancelled.")})
    with transaction.atomic():
        locked = FapiaoRequest.objects.select_for_update().get(pk=fapiao.pk)
        if locked.status == FapiaoRequest.Status.CANCELLED:
            raise ValidationError(_("This fapiao request is already cancelled."))
        locked.status = FapiaoRequest.Status.CANCELLED
        locked.cancel_reason = reason
        locked.decided_by = staff
        locked.save(update_fields=["status", "cancel_reason", "decided_by"])
        return locked


# --- Instalments (issue 14, item 3) ---


def set_payment_plan(
    *,
    order: Order,
    instalments: Sequence[tuple[date, Amount]],
    by: Staff,
    reason: str = "",
) -> PlanRevision:
    """Set (or change) the order's payment plan: dates and amounts that sum exactly to the
    balance due now. A plan can be set while something is left to pay; a change needs a
    reason and is a new revision (the old schedule is kept, not current). What is paid of
    each instalment is never stored: `selectors.plan_of` reads it from the ledger.

    The order row is locked, so two people saving at once make two revisions in turn, and
    sending the same schedule again is `AlreadyDone`.
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",)).select_related("branch").get(pk=order.pk)
        )
        if locked.state in (State.CANCELLED, State.DELIVERED):
            raise ValidationError(
                _("This order is %(state)s; it takes no payment plan.")
                % {"state": locked.get_state_display()}
            )
        due = locked.balance_due
        if due <= ZERO:
            raise ValidationError(_("Nothing is left to pay on this order, so it needs no plan."))
        rows = sorted(
            (day, checked_amount(amount, branch=locked.branch)) for day, amount in instalments
        )
        errors: dict[str, Any] = {}
        today = locked.branch.today()
        if not rows:
            errors["instalments"] = _("Give at least one date and amount.")
        elif len({day for day, _a in rows}) != len(rows):
            errors["instalments"] = _(
                "Give each date once: two instalments cannot fall due the same day."
            )
        elif rows[0][0] < today:
            errors["instalments"] = _("An instalment cannot fall due in the past.")
        elif sum((a for _d, a in rows), ZERO) != due:
            errors["instalments"] = _(
                "The instalments add up to %(total)s, but %(due)s is due: they must sum to exactly the balance."
            ) % {"total": money(sum((a for _d, a in rows), ZERO)), "due": money(due)}
        last = locked.plan_revisions.order_by("-number").first()
        current = list(locked.instalments.filter(is_current=True).order_by("due_on"))
        if last is not None and not errors:
            if [(i.due_on, i.amount) for i in current] == rows:
                raise AlreadyDone(_("Already done: this order already has exactly this plan."))
            if not reason:
                errors["reason"] = _("Say why the plan changes.")
        if errors:
            raise ValidationError(errors)
        Instalment.objects.filter(order=locked, is_current=True).update(is_current=False)
        revision = PlanRevision.objects.create(
            order=locked,
            number=(last.number + 1) if last else 1,
            by=by,
            balance_then=due,
            reason=reason,
        )
        Instalment.objects.bulk_create(
            Instalment(order=locked, revision=revision, due_on=day, amount=amount)
            for day, amount in rows
        )
        return revision


# --- Transfers between branches (issue 14, item 5) ---

customer_transferred = Signal()  # sender=Transfer, transfer=...; in the transfer's transaction
OPEN_STATES = tuple(s for s in State.values if s not in (State.DELIVERED, State.CANCELLED))


def transfer_customer(
    *,
    customer: Customer,
    to_branch: Branch,
    orders: Iterable[Order],
    reason: str,
    owner: Staff,
    by: Staff,
) -> Transfer:
    """A manager of `to_branch` accepts a couple from another branch, with the chosen open
    orders (DOMAIN.md: "a customer may be passed to another branch").

    From this moment the file and the orders are the new branch's, owned by `owner` there,
    and the old branch no longer sees them. Money already taken stays in the branch that
    took it (ledger entries keep their branch); the balance is due at the new one. Refused
    while an order moving has a booking ahead at the old branch (a shoot, a selection or
    pickup appointment, a dress): those are moved or cancelled there first.

    The couple's row is locked, so two managers accepting the same couple at once move it
    once; the second is told where it went (AlreadyDone).
    """
    reason = reason.strip()
    if not (by.is_manager and to_branch.pk in by.branch_ids):
        raise PermissionDenied(
            _("Only a store manager of the receiving branch can accept a couple.")
        )
    errors: dict[str, Any] = {}
    if not reason:
        errors["reason"] = _("Say why the couple moves to this branch.")
    if not (owner.is_active and owner.user.is_active) or to_branch.pk not in owner.branch_ids:
        errors["owner"] = _("The new owner must work at %(branch)s.") % {"branch": to_branch.name}
    if errors:
        raise ValidationError(errors)
    seen_branch = customer.branch_id
    with transaction.atomic():
        # Locked alone: a join here would lose the row when the first transfer changed its
        # branch meanwhile (PostgreSQL re-checks the join against the old branch row).
        locked = Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)
        if locked.branch_id != seen_branch or locked.branch_id == to_branch.pk:
            raise AlreadyDone(
                _("Already done: this couple is now filed at %(branch)s.")
                % {"branch": locked.branch.name}
            )
        from_branch = locked.branch
        open_orders = {
            o.pk: o
            for o in Order.objects.select_for_update()
            .filter(customer=locked, branch=from_branch, state__in=OPEN_STATES)
            .order_by("pk")
        }
        chosen = [o.pk for o in orders]
        if set(chosen) - set(open_orders):
            raise ValidationError(
                {
                    "orders": _("Only the couple's open orders at %(branch)s can move with them.")
                    % {"branch": from_branch.name}
                }
            )
        moving = [open_orders[pk] for pk in sorted(set(chosen))]
        booked = facts.future_bookings(moving, timezone.now()) if moving else []
        if booked:
            raise ValidationError(
                {
                    "orders": [
                        _(
                            "These bookings at %(branch)s lie ahead: move or cancel them there "
                            "first, then accept the couple."
                        )
                        % {"branch": from_branch.name},
                        *booked,
                    ]
                }
            )
        transfer = Transfer.objects.create(
            customer=locked,
            from_branch=from_branch,
            to_branch=to_branch,
            reason=reason,
            accepted_by=by,
            owner_before=locked.owner,
            owner_after=owner,
        )
        transfer.customer = studio_services.move_customer(
            customer=locked, to_branch=to_branch, owner=owner, by=by
        )
        note = order_texts.MOVED(
            from_branch=from_branch.name,
            to_branch=to_branch.name,
            by=by.display_name,
            reason=reason,
        )
        for order in moving:
            Order.objects.filter(pk=order.pk).update(branch=to_branch, owner=owner)
            TransferredOrder.objects.create(
                transfer=transfer, order=order, note_kind=note[0], note_params=note[1]
            )
        customer_transferred.send(sender=Transfer, transfer=transfer)
        return transfer
