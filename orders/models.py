from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from studio import texts
from studio.models import Branch, Customer, Kept, Package, Staff
from studio.prepared import Marker, Prepared
from studio.request_keys import key_column

from . import facts
from .guards import guard

ZERO = Decimal("0.00")


class State(models.TextChoices):
    BOOKED = "booked", pgettext_lazy("order state", "Booked")
    SCHEDULED = "scheduled", _("Scheduled")
    SHOOTING = "shooting", _("Shooting")
    SHOT = "shot", _("Shot")
    SELECTING = "selecting", _("Selecting")
    SELECTED = "selected", _("Selected")
    IN_PRODUCTION = "in_production", _("In production")
    READY = "ready", _("Ready for pickup")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


# --- Guards (DOMAIN.md, "Guards"). Each says, in the staff's words, what is missing. ---
# Facts owned by the stages above are asked through `orders.facts`; the stages answer them.


@guard(_("Check-in is only possible on the day of the shoot."))
def _shoot_is_today(order):
    return facts.ask("shoot_is_today", order)


@guard(
    _("The package must be paid in full before check-in at this branch: take the balance first.")
)
def _paid_if_branch_requires(order):
    return not order.branch.pay_in_full_before_shoot or order.balance_due <= ZERO


@guard(_("The locker key must be returned and its deposit refunded (or kept with a reason)."))
def _no_locker_hold(order):
    return order.hold_outstanding(LedgerEntry.Kind.LOCKER_DEPOSIT) == ZERO


@guard(_("The shoot must be booked on the control sheet first."))
def _has_planned_shoot(order):
    return facts.ask("has_planned_shoot", order)


@guard(_("The image files must be transferred and checked complete before selection."))
def _files_ready(order):
    return facts.ask("files_ready", order)


@guard(_("The customer must sign the production list before the selection is confirmed."))
def _selection_signed(order):
    return facts.ask("selection_signed", order)


@guard(_("The selection upsell must be paid or recorded as owed."))
def _upsell_settled(order):
    return facts.ask("upsell_settled", order)


@guard(_("Changes are only allowed within 3 hours of signing the production list."))
def _within_change_window(order):
    return facts.ask("change_window_open", order)


@guard(
    _(
        "The 3-hour change window is still open: wait until it closes "
        "or record that the customer waived it."
    )
)
def _change_window_closed(order):
    return facts.ask("change_window_waived", order) or not facts.ask("change_window_open", order)


@guard(_("Every production item must pass quality control first."))
def _all_items_passed_qc(order):
    return facts.ask("all_items_passed_qc", order)


@guard(_("The balance must be paid before the order is delivered."))
def _zero_balance(order):
    return order.balance_due <= ZERO


@guard(_("Every item must be handed over to the customer."))
def _all_items_handed_over(order):
    return facts.ask("all_items_handed_over", order)


@guard(_("Only a store manager can do this."))
def _is_manager(instance, user):
    staff = getattr(user, "staff", None)
    return bool(user.is_superuser or (staff and staff.is_manager))


class Order(ConcurrentTransitionMixin, Kept):
    """An order, created at signing with the deposit; its state walks the journey."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="orders", verbose_name=_("branch")
    )
    number = models.CharField(_("order number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("customer")
    )
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, related_name="orders", verbose_name=_("package")
    )
    owner = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="owned_orders", verbose_name=_("owner")
    )
    package_price = models.DecimalField(_("package price"), max_digits=10, decimal_places=2)
    discount = models.DecimalField(
        _("discount"),
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    discount_approved_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_discounts",
        verbose_name=_("discount approved by"),
    )
    agreed_price = models.DecimalField(_("agreed price"), max_digits=10, decimal_places=2)
    gifts = models.TextField(_("gifts and vouchers"), blank=True)
    style_wishes = models.TextField(_("style wishes"), blank=True)
    notes = models.TextField(_("notes (allergies, preferences)"), blank=True)
    wanted_shoot_month = models.DateField(_("wanted shoot month"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    state = FSMField(
        _("state"), default=State.BOOKED, choices=State.choices, protected=True, db_index=True
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-signed_at"]
        indexes = [
            # The counts by state on Today and the order list's state filter, per branch.
            models.Index(fields=["branch", "state"], name="order_branch_state"),
            # The order list, newest first, per branch.
            models.Index(fields=["branch", "-signed_at"], name="order_branch_signed"),
            # The reports' joins from tables without a branch (selections, production,
            # surveys) to the branch's orders; the reports' deals use order_branch_signed.
            models.Index(fields=["branch", "id"], name="order_branch_id"),
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["signed_at", "branch"], name="order_signed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_price__gte=0) & Q(discount__gte=0),
                name="order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(agreed_price=models.F("package_price") - models.F("discount")),
                name="order_agreed_is_price_less_discount",
            ),
        ]
        permissions = [("force_transition", _("Can push an order through a transition"))]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"number": self.number})

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Django's refresh, safe in a threaded server. django-fsm-2's FSMModelMixin lets
        the refresh write the protected `state` by switching off the field's `protected`
        flag, which every thread shares: under gunicorn's threads another request's
        refresh switches it back meanwhile, and this one fails with "Direct state
        modification is not allowed" (found by the busy day, bench.busy). The guard only
        refuses to overwrite a state the instance holds, so the instance lets go of its
        own first and the flag is never touched. (The state is read again even when
        `fields` leave it out: the mixin's bookkeeping loads it.)"""
        state = self.__dict__.pop("state", None)
        try:
            super(FSMModelMixin, self).refresh_from_db(
                using=using, fields=fields, from_queryset=from_queryset
            )
        finally:
            if state is not None and "state" not in self.__dict__:
                self.__dict__["state"] = state
        self._update_initial_state()  # ConcurrentTransitionMixin's, as its refresh does

    # --- Money, always computed from the ledger ---

    def _ledger_sum(self, condition):
        if self.pk is None:
            return ZERO
        return self.ledger.filter(condition).aggregate(
            total=Coalesce(Sum("amount"), ZERO, output_field=models.DecimalField())
        )["total"]

    @property
    def charges_total(self):
        return self.agreed_price + _summed(_CHARGES_SUM, self.pk)

    @property
    def paid(self):
        """Money received towards the order: every entry except refundable holds and the
        deposits kept from them (`LedgerEntry.NOT_PAID`)."""
        return _summed(_PAID_SUM, self.pk)

    @property
    def balance_due(self):
        return self.charges_total - self.paid

    def hold_outstanding(self, kind):
        return _summed(_HELD_SUM, self.pk, str(kind))

    # --- The state machine (DOMAIN.md, stage 2) ---
    # Each transition says everything about itself here; orders.fsm reads it back. In
    # `custom`: "label" is its button (django-fsm-2's admin shows it too) and "done" is
    # what it did, as in "cannot be cancelled now". Who may press it is its `permission`,
    # a guard whose message says who can; every page and task goes through
    # orders.services.transition_order, in the declared order below.

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.BOOKED,
        target=State.SCHEDULED,
        conditions=[_has_planned_shoot],
        custom={"label": _("Schedule"), "done": _("scheduled")},
    )
    def schedule(self, by=None, description=None):
        """The shoot is on the control sheet."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SCHEDULED,
        target=State.SCHEDULED,
        conditions=[_has_planned_shoot],
        custom={"label": _("Reschedule"), "done": _("rescheduled")},
    )
    def reschedule(self, by=None, description=None):
        """The shoot moved; the shoots app keeps the history of dates."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SCHEDULED,
        target=State.SHOOTING,
        conditions=[_shoot_is_today, _paid_if_branch_requires],
        custom={"label": _("Check in"), "done": _("checked in")},
    )
    def check_in(self, by=None, description=None):
        """The couple arrived on the shooting day."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SHOOTING,
        target=State.SHOT,
        conditions=[_no_locker_hold],
        custom={"label": _("Finish shoot"), "done": _("finished shooting")},
    )
    def finish_shoot(self, by=None, description=None):
        """Last outfit done, makeup removed, key returned."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SHOT,
        target=State.SELECTING,
        conditions=[_files_ready],
        custom={"label": _("Start selection"), "done": _("taken to selection")},
    )
    def start_selection(self, by=None, description=None):
        """The couple sits down to choose photos."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SELECTING,
        target=State.SELECTED,
        conditions=[_selection_signed, _upsell_settled],
        custom={"label": _("Confirm selection"), "done": _("confirmed as selected")},
    )
    def confirm_selection(self, by=None, description=None):
        """The production list is signed."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SELECTED,
        target=State.SELECTING,
        conditions=[_within_change_window],
        custom={"label": _("Reopen selection"), "done": _("reopened")},
    )
    def reopen(self, by=None, description=None):
        """3小时后不能退改: changes only within three hours of signing."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SELECTED,
        target=State.IN_PRODUCTION,
        conditions=[_change_window_closed],
        custom={"label": _("Send to production"), "done": _("sent to production")},
    )
    def send_to_production(self, by=None, description=None):
        """Photos go to retouch, design and print."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.IN_PRODUCTION,
        target=State.READY,
        conditions=[_all_items_passed_qc],
        custom={"label": _("Mark ready"), "done": _("marked ready")},
    )
    def mark_ready(self, by=None, description=None):
        """Every item passed QC; the pickup notice can go out."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.READY,
        target=State.DELIVERED,
        conditions=[_zero_balance, _all_items_handed_over],
        custom={"label": _("Deliver"), "done": _("delivered")},
    )
    def deliver(self, by=None, description=None):
        """The customer signed the production list as received."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.BOOKED, State.SCHEDULED],
        target=State.CANCELLED,
        permission=_is_manager,
        custom={"label": _("Cancel order"), "done": _("cancelled")},
    )
    def cancel(self, by=None, description=None):
        """Needs a manager; refunds follow the branch policy as ledger entries."""


class Charge(Kept):
    """Something the customer owes beyond the agreed package price (an upsell, a fee).

    Immutable like the ledger: a mistake is corrected by a negative charge.
    """

    class Kind(models.TextChoices):
        SELECTION_UPSELL = "selection_upsell", _("Selection upsell")
        PICKUP_UPSELL = "pickup_upsell", _("Pickup upsell")
        RENTAL = "rental", _("Dress rental")
        OTHER = "other", _("Other")
        # A voucher given in compensation, taken off what the couple owes: negative, never
        # money received (selection.VoucherUse; docs/decisions.md, "Vouchers").
        VOUCHER = "voucher", _("Voucher used")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="charges")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    # What the system wrote: a kind of text and its parameters (studio.texts), rendered in
    # the reader's language; `description` is what staff typed, or an old row's sentence.
    description = models.CharField(_("description"), max_length=200, blank=True)
    description_kind = models.CharField(max_length=60, blank=True, editable=False)
    description_params = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["created_at"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="charge_not_zero")]

    def __str__(self):
        return f"{self.order} {self.get_kind_display()} {self.amount}"

    @property
    def description_text(self):
        """The description in the active language (the reader's, or the customer's on a
        document printed for them)."""
        return texts.render(
            self.description_kind, self.description_params, fallback=self.description
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntry(_("Charges cannot be changed; add a correcting charge."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry(_("Charges cannot be deleted; add a correcting charge."))


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Bank card")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    TRANSFER = "transfer", _("Bank transfer")


# A payment from a stored-value card: recorded by orders.services.pay_from_card only, so it
# is a method of the ledger but not one a desk form offers (those list `Method`).
STORED_VALUE = "stored"
METHODS = [*Method.choices, (STORED_VALUE, _("Stored-value card"))]


class ImmutableEntry(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    """Rows written once: a queryset never changes or deletes them either."""

    def update(self, **kwargs):
        raise self.model.immutable(self.model.cannot_change)

    def delete(self):
        raise self.model.immutable(self.model.cannot_delete)

    def bulk_update(self, *args, **kwargs):
        raise self.model.immutable(self.model.cannot_change)


class AppendOnly(models.Model):
    """A row that is never changed or deleted once written (the ledger, a card's entries,
    commission credits): a mistake is corrected by a new row. Each model says in its own
    words what to do instead, and which exception it raises."""

    immutable: type[Exception] = ImmutableEntry
    cannot_change: Any  # a lazy sentence saying what to do instead, set by each model
    cannot_delete: Any

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.immutable(self.cannot_change)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.immutable(self.cannot_delete)


class MoneyEntry(AppendOnly):
    """What a movement of money has, on the order's ledger or on a stored-value card: how it
    was paid, its receipt (numbered per branch), when, a note, the entry it corrects, and
    the key of the form that made it (a double-clicked form records one entry, not two)."""

    method = models.CharField(_("method"), max_length=10, choices=METHODS)
    receipt_no = models.CharField(_("receipt number"), max_length=30)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    request_key = key_column()

    class Meta:
        abstract = True


class LedgerEntry(MoneyEntry):
    """One movement of money (DOMAIN.md: "Money is a ledger").

    Amounts are signed: money in is positive, money out negative. A refundable hold
    (locker key, rental deposit) is taken with a positive entry of its kind and given back
    with a negative one of the same kind, so what is still held is the sum of its kind and
    holds never count as revenue. A correction is a new entry that `reverses` another.
    """

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        BALANCE = "balance", _("Balance")
        SELECTION_UPSELL = "selection_upsell", _("Selection upsell")
        PICKUP_UPSELL = "pickup_upsell", _("Pickup upsell")
        RENTAL_FEE = "rental_fee", _("Rental fee")
        RENTAL_DEPOSIT = "rental_deposit", _("Rental deposit (refundable)")
        LOCKER_DEPOSIT = "locker_deposit", _("Locker key deposit (refundable)")
        FORFEITED_HOLD = "forfeited_hold", _("Kept deposit")
        REFUND = "refund", _("Refund")
        # The part of a stored-value card payment that came from the card's bonus value:
        # it pays the order, but it is a gift, never revenue (docs/decisions.md, "Cards").
        CARD_BONUS = "card_bonus", _("Card bonus value")

    Method = Method
    STORED_VALUE = STORED_VALUE
    METHODS = METHODS

    HOLDS = (Kind.RENTAL_DEPOSIT, Kind.LOCKER_DEPOSIT)
    # Not paid towards what the order costs: the holds (the couple's, given back) and what
    # was kept of one (a lost key, a stained gown), which the studio earns as a penalty
    # beside the order and which never lowers its balance (docs/decisions.md, "Money").
    NOT_PAID = (*HOLDS, Kind.FORFEITED_HOLD)
    # Paid towards the order but not money the studio earned: holds and card bonus value.
    NOT_REVENUE = (*HOLDS, Kind.CARD_BONUS)

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="ledger")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("taken by")
    )
    # A note staff typed is kept as typed (`note`); what the system notes is a kind of text
    # and its parameters (studio.texts), rendered in the reader's language.
    note_kind = models.CharField(max_length=60, blank=True, editable=False)
    note_params = models.JSONField(default=dict, blank=True, editable=False)

    cannot_change = _("Ledger entries cannot be changed; write a reversing entry.")
    cannot_delete = _("Ledger entries cannot be deleted; write a reversing entry.")

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "pk"]
        # A branch's money of a day, a month or a year (the reports). The kind and the amount
        # ride along, so the revenue lines and the 12-month trend read the index alone, not a
        # heap page per entry scattered among the chain's other branches' (issue 14, item 8).
        indexes = [
            models.Index(
                fields=["branch", "created_at"],
                name="ledger_branch_money",
                include=["kind", "amount"],
            ),
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["created_at", "branch"], name="ledger_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["branch", "receipt_no"], name="receipt_no_per_branch"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind="refund") | Q(amount__lt=0) | Q(reverses__isnull=False),
                name="refund_is_negative",
            ),
        ]

    def __str__(self):
        return f"{self.receipt_no} {self.get_kind_display()} {self.amount}"

    @property
    def note_text(self):
        return texts.render(self.note_kind, self.note_params, fallback=self.note)

    @property
    def is_hold(self):
        return self.kind in self.HOLDS

    def clean(self):
        if self.amount == 0:
            raise ValidationError({"amount": _("The amount cannot be zero.")})


class ReferralReward(models.Model):
    """What a referrer earned for one referred couple's signed order: once per order."""

    referrer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="referral_rewards",
        verbose_name=_("referrer"),
    )
    referred_order = models.OneToOneField(
        Order,
        on_delete=models.CASCADE,
        related_name="referral_reward",
        verbose_name=_("referred order"),
    )
    reward = models.CharField(_("reward"), max_length=200, blank=True)
    level_before = models.CharField(
        _("membership before"), max_length=10, choices=Customer.Level.choices
    )
    level_after = models.CharField(
        _("membership after"), max_length=10, choices=Customer.Level.choices
    )
    created_at = models.DateTimeField(_("rewarded at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral reward")
        verbose_name_plural = _("referral rewards")
        ordering = ["-created_at"]
        # The admin lists in this order, for head office and for one branch alike.
        indexes = [models.Index(fields=["created_at"], name="referral_reward_created")]

    def __str__(self):
        return f"{self.referrer}: {self.reward}"

    @property
    def upgraded(self):
        return self.level_after != self.level_before


class ReceiptSequence(models.Model):
    """The last receipt number issued per branch; locked while the next one is taken."""

    branch = models.OneToOneField(Branch, on_delete=models.PROTECT, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.branch.code}: {self.last}"


class OrderSequence(models.Model):
    """The last order number issued per branch and year."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="order_sequence_branch_year")
        ]

    def __str__(self):
        return f"{self.branch.code}-{self.year}: {self.last}"


REOPEN_WINDOW = timedelta(hours=getattr(settings, "STUDIO_REOPEN_WINDOW_HOURS", 3))


# --- Stored-value cards (储值卡; issue 14, item 2; docs/decisions.md, "Stored-value cards") ---


class CardBonusRule(models.Model):
    """A branch's top-up offer: top up at least `top_up` and get `bonus` on the card."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="card_bonus_rules", verbose_name=_("branch")
    )
    top_up = models.DecimalField(
        _("top-up of at least"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    bonus = models.DecimalField(
        _("bonus value"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("card bonus rule")
        verbose_name_plural = _("card bonus rules")
        ordering = ["branch", "top_up"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "top_up"], name="card_bonus_rule_per_top_up"),
            models.CheckConstraint(
                condition=Q(top_up__gt=0) & Q(bonus__gt=0), name="card_bonus_rule_positive"
            ),
        ]

    def __str__(self):
        return f"{self.branch.code}: {self.top_up} + {self.bonus}"


class StoredValueCard(models.Model):
    """A customer's stored-value card at their branch. Its balances are never stored: they
    are the sums of its immutable `CardEntry` rows, real money and bonus value apart."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="cards", verbose_name=_("branch")
    )
    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, related_name="card", verbose_name=_("customer")
    )
    number = models.CharField(_("card number"), max_length=30, unique=True)
    opened_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("stored-value card")
        verbose_name_plural = _("stored-value cards")
        ordering = ["-opened_at"]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:card", kwargs={"number": self.number})

    def is_held_by(self, customer_id) -> bool:
        """The main holder or a family holder not removed (ask it under the card's lock)."""
        return (
            customer_id == self.customer_id
            or self.holders.filter(customer_id=customer_id, removed_at__isnull=True).exists()
        )

    def _sums(self):
        if self.pk is None:
            return {"real": ZERO, "bonus": ZERO}
        money = models.DecimalField()
        return self.entries.aggregate(
            real=Coalesce(Sum("real"), ZERO, output_field=money),
            bonus=Coalesce(Sum("bonus"), ZERO, output_field=money),
        )

    @property
    def balances(self):
        """(real money, bonus value) still on the card, read from its entries."""
        sums = self._sums()
        return sums["real"], sums["bonus"]

    @property
    def real_balance(self):
        return self.balances[0]

    @property
    def bonus_balance(self):
        return self.balances[1]

    @property
    def balance(self):
        return sum(self.balances, ZERO)


class CardHolder(models.Model):
    """A family member who may pay from a card besides its main holder (a parent, say): a
    customer of the card's branch, added and removed at the desk with the main holder's
    agreement recorded. A removal ends the row (kept): the card's holders over time."""

    class Agreement(models.TextChoices):
        SIGNED = "signed", _("Signed form")
        IN_PERSON = "in_person", _("In person at the desk")
        PHONE = "phone", _("By phone")

    card = models.ForeignKey(
        StoredValueCard, on_delete=models.PROTECT, related_name="holders", verbose_name=_("card")
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="card_holdings",
        verbose_name=_("holder"),
    )
    agreement = models.CharField(_("main holder agreed"), max_length=10, choices=Agreement.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_agreement = models.CharField(
        _("main holder agreed to the removal"),
        max_length=10,
        choices=Agreement.choices,
        blank=True,
    )
    removed_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("card holder")
        verbose_name_plural = _("card holders")
        ordering = ["card", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["card", "customer"],
                condition=Q(removed_at__isnull=True),
                name="card_holder_once",
            )
        ]

    def __str__(self):
        return f"{self.card}: {self.customer}"


class CardEntry(MoneyEntry):
    """One movement on a stored-value card, signed like the ledger: `real` is money the
    customer paid in (a liability of the branch until spent), `bonus` the value the branch
    gave with a top-up. A spend is paid into the order's ledger by the entry `ledger_entry`
    (the same receipt number); top-ups and refunds have receipts of their own from the
    branch's one gapless sequence."""

    class Kind(models.TextChoices):
        TOP_UP = "top_up", _("Top-up")
        SPEND = "spend", _("Payment from the card")
        REFUND = "refund", _("Refund of the unspent money")
        REVERSAL = "reversal", _("Reversal")
        # An order's refund of money it took from the card (orders.services.refund_to_card).
        RETURNED = "returned", _("Refund onto the card")

    card = models.ForeignKey(
        StoredValueCard, on_delete=models.PROTECT, related_name="entries", verbose_name=_("card")
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="card_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    real = models.DecimalField(_("money"), max_digits=10, decimal_places=2, default=ZERO)
    bonus = models.DecimalField(_("bonus value"), max_digits=10, decimal_places=2, default=ZERO)
    ledger_entry = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="card_entry",
        verbose_name=_("order payment"),
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="card_entries", verbose_name=_("taken by")
    )
    # Who paid, on a payment from the card: its main holder or a family holder.
    payer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid by"),
    )

    cannot_change = _("Card entries cannot be changed; write a reversing entry.")
    cannot_delete = _("Card entries cannot be deleted; write a reversing entry.")

    class Meta:
        verbose_name = _("card entry")
        verbose_name_plural = _("card entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["branch", "created_at"], name="card_entry_branch_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "receipt_no"], name="card_receipt_per_branch"
            ),
            models.CheckConstraint(condition=~(Q(real=0) & Q(bonus=0)), name="card_entry_not_zero"),
        ]

    def __str__(self):
        return f"{self.receipt_no} {self.get_kind_display()} {self.real}+{self.bonus}"

    @property
    def amount(self):
        return self.real + self.bonus


# --- Fapiao requests (发票; issue 14, item 4; docs/decisions.md, "Fapiao") ---


class FapiaoRequest(models.Model):
    """A customer's request for a fapiao on an order's payments. The fapiao itself is
    issued in the tax office's system; here the desk tracks what was asked and its number."""

    class Title(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        COMPANY = "company", _("Company")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("Issued")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="fapiao_requests", verbose_name=_("order")
    )
    title_kind = models.CharField(_("title type"), max_length=10, choices=Title.choices)
    title = models.CharField(_("title"), max_length=100)
    tax_number = models.CharField(_("tax number"), max_length=18, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    fapiao_number = models.CharField(_("fapiao number"), max_length=30, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    requested_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested through")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued or cancelled by"),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    request_key = key_column()

    class Meta:
        verbose_name = _("fapiao request")
        verbose_name_plural = _("fapiao requests")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fapiao_amount_positive"),
            models.CheckConstraint(
                condition=~Q(title_kind="company") | ~Q(tax_number=""),
                name="fapiao_company_has_tax_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | (~Q(fapiao_number="") & Q(issued_on__isnull=False)),
                name="fapiao_issued_has_number_and_date",
            ),
        ]

    def __str__(self):
        return f"{self.order} {self.title} {self.amount}"


# --- Instalments (issue 14, item 3) ---


class PlanRevision(models.Model):
    """One version of an order's payment plan: who set it, when, and why it changed.

    The plan is audited by its revisions: an edit never changes an instalment, it writes a
    new revision with the new schedule and retires the old one's instalments (kept).
    """

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="plan_revisions", verbose_name=_("order")
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )
    at = models.DateTimeField(_("set at"), default=timezone.now)
    # What was due when the plan was set: the instalments summed to exactly this.
    balance_then = models.DecimalField(_("balance due then"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment plan revision")
        verbose_name_plural = _("payment plan revisions")
        ordering = ["order", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="plan_revision_number")
        ]

    def __str__(self):
        return f"{self.order} #{self.number}"


class Instalment(models.Model):
    """One date and amount of an order's payment plan. What is paid of it is never stored:
    the order's balance (from the ledger) pays the instalments in date order
    (`orders.selectors.plan_of`)."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("order")
    )
    revision = models.ForeignKey(PlanRevision, on_delete=models.PROTECT, related_name="instalments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["order", "due_on"]
        indexes = [
            # The reminders and the overdue list read the current instalments by date.
            models.Index(
                fields=["due_on", "order"], condition=Q(is_current=True), name="instalment_due"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "due_on"],
                condition=Q(is_current=True),
                name="one_current_instalment_a_day",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.order} {self.due_on} {self.amount}"


# --- Transfers between branches (issue 14, item 5) ---


class Transfer(Kept):
    """A couple (and the open orders chosen with them) accepted by a manager of another
    branch. The file and the orders belong to the new branch from this moment; the ledger
    entries keep the branch that took the money."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("customer")
    )
    from_branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="transfers_out",
        verbose_name=pgettext_lazy("branch transfer", "from"),
    )
    to_branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=pgettext_lazy("branch transfer", "to"),
    )
    orders = models.ManyToManyField(
        Order,
        through="TransferredOrder",
        related_name="transfers",
        blank=True,
        verbose_name=_("orders"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    accepted_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("accepted by")
    )
    owner_before = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner before"),
    )
    owner_after = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("new owner")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("transfer between branches")
        verbose_name_plural = _("transfers between branches")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["from_branch", "-at"], name="transfer_from"),
            models.Index(fields=["to_branch", "-at"], name="transfer_to"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_branch=models.F("to_branch")), name="transfer_between_branches"
            )
        ]

    def __str__(self):
        return f"{self.customer}: {self.from_branch.code} → {self.to_branch.code}"


class TransferredOrder(models.Model):
    """An order that moved with its couple, and the line its history shows (a kind of text
    and its parameters: the branches, who accepted, the reason as typed)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="moved")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="moves")
    note_kind = models.CharField(max_length=60, blank=True, editable=False)
    note_params = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("order moved")
        verbose_name_plural = _("orders moved")
        constraints = [
            models.UniqueConstraint(fields=["transfer", "order"], name="order_moved_once")
        ]

    def __str__(self):
        return f"{self.order} ({self.transfer})"

    @property
    def note_text(self):
        return texts.render(self.note_kind, self.note_params)


# An order's sums that its guards read (the order page asks them at each view, for each step
# it offers), their SQL made once per process (studio.prepared). No row: nothing to add.
def _summed(prepared: Prepared, pk: int | None, *more: Any) -> Decimal:
    if pk is None:
        return ZERO
    found = prepared.first(pk, *more)
    return ZERO if found is None else found


def _sum_of(entries: models.QuerySet) -> models.QuerySet:
    return entries.values("order_id").annotate(total=Sum("amount")).values_list("total", flat=True)


_CHARGES_SUM = Prepared(
    lambda order_id: _sum_of(Charge.objects.filter(order_id=order_id)), [Marker.number(0)]
)
_PAID_SUM = Prepared(
    lambda order_id: _sum_of(
        LedgerEntry.objects.filter(order_id=order_id).exclude(kind__in=LedgerEntry.NOT_PAID)
    ),
    [Marker.number(0)],
)
_HELD_SUM = Prepared(
    lambda order_id, kind: _sum_of(LedgerEntry.objects.filter(order_id=order_id, kind=kind)),
    [Marker.number(0), Marker.text(0)],
)
