"""Commissions (提成): who earns what when the studio is paid (issue 14).

A branch's rules say who earns on what, as a percentage of money received or a fixed
amount, between two dates. Credits are written from the ledger and the order's people when
an entry is recorded, and from a finished shoot for the crew's per-shoot fees; like the
ledger they are never changed: a refund or a reversal writes negative credits. A month's
statement is the credits of that month; once a manager locks it, nothing lands in it again.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from orders.models import AppendOnly, ImmutableEntry, LedgerEntry, Order
from shoots.models import Shoot
from studio.models import Branch, Kept, Staff

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


class Basis(models.TextChoices):
    """What a rule pays for, and so who earns it."""

    SIGNING = "signing", _("Signing (order taker)")
    INVITATION = "invitation", _("Invitation (who brought the couple in)")
    SELECTION_UPSELL = "selection_upsell", _("Selection upsell (consultant)")
    PICKUP_SALE = "pickup_sale", _("Pickup sale (desk)")
    SHOOT_PHOTOGRAPHER = "shoot_photographer", _("Per shoot: photographer")
    SHOOT_MAKEUP = "shoot_makeup", _("Per shoot: makeup artist")


# The ledger's kinds each basis earns on; the shoots' bases earn on a finished shoot.
LEDGER_BASES = {
    Basis.SIGNING: (LedgerEntry.Kind.DEPOSIT, LedgerEntry.Kind.BALANCE),
    Basis.INVITATION: (LedgerEntry.Kind.DEPOSIT, LedgerEntry.Kind.BALANCE),
    Basis.SELECTION_UPSELL: (LedgerEntry.Kind.SELECTION_UPSELL,),
    Basis.PICKUP_SALE: (LedgerEntry.Kind.PICKUP_UPSELL,),
}
SHOOT_BASES = {Basis.SHOOT_PHOTOGRAPHER: "photographer", Basis.SHOOT_MAKEUP: "makeup_artist"}
# A refund gives package money back: it takes back what the package's sale earned.
REFUND_BASES = (Basis.SIGNING, Basis.INVITATION)


class CommissionRule(models.Model):
    """Who earns on what at a branch, between two dates (inclusive; no end: until changed).

    A percentage is of the money received (each payment, and negative on refunds); a fixed
    amount is earned once per order (on its first payment of that kind) or once per shoot.
    """

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="commission_rules", verbose_name=_("branch")
    )
    basis = models.CharField(_("earned on"), max_length=20, choices=Basis.choices)
    percent = models.DecimalField(
        _("percentage of money received"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
    )
    fixed_amount = models.DecimalField(
        _("fixed amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    valid_from = models.DateField(_("effective from"))
    valid_until = models.DateField(_("effective until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commission rule")
        verbose_name_plural = _("commission rules")
        ordering = ["branch", "basis", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True, fixed_amount__isnull=False)
                | Q(percent__isnull=False, fixed_amount__isnull=True),
                name="commission_rule_percent_or_fixed",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="commission_rule_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_basis_display()}: {self.rate_text}"

    @property
    def rate_text(self):
        if self.percent is not None:
            return f"{self.percent.normalize():f}%"
        return f"¥{self.fixed_amount:,.2f}"

    def clean(self):
        if (self.percent is None) == (self.fixed_amount is None):
            raise ValidationError(_("Give either a percentage or a fixed amount, not both."))
        if self.basis in SHOOT_BASES and self.percent is not None:
            raise ValidationError(
                {"percent": _("A per-shoot fee is a fixed amount: a shoot receives no money.")}
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The rule cannot end before it starts.")})
        if self.branch_id and self.basis and self.valid_from:
            overlapping = CommissionRule.objects.filter(
                branch_id=self.branch_id, basis=self.basis
            ).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)
            )
            if self.valid_until:
                overlapping = overlapping.filter(valid_from__lte=self.valid_until)
            if overlapping.exists():
                raise ValidationError(
                    _(
                        "Another rule for the same work is in effect on some of these days: "
                        "end it first (its last day), then add this one."
                    )
                )


class SaleShare(models.Model):
    """Two (or more) people share one order's sale: each earns their part of its credits.

    Set through `commissions.services.share_sale`, which makes the parts add up to 100%.
    """

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="sale_shares", verbose_name=_("order")
    )
    basis = models.CharField(_("earned on"), max_length=20, choices=Basis.choices)
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="sale_shares", verbose_name=_("staff member")
    )
    percent = models.DecimalField(
        _("share %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
    )

    class Meta:
        verbose_name = _("sale share")
        verbose_name_plural = _("sale shares")
        ordering = ["order", "basis", "-percent"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "basis", "staff"], name="sale_share_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100), name="sale_share_percent"
            ),
        ]

    def __str__(self):
        return f"{self.order} {self.staff} {self.percent}%"


class StatementMonth(models.Model):
    """A branch's month of commissions; locked by a manager once checked, it never changes."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="commission_months", verbose_name=_("branch")
    )
    month = models.DateField(_("month"))
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )

    class Meta:
        verbose_name = _("commission month")
        verbose_name_plural = _("commission months")
        ordering = ["-month", "branch"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="commission_month_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="commission_month_first_day"),
        ]

    def __str__(self):
        return f"{self.branch} {self.month:%Y-%m}"

    @property
    def is_locked(self):
        return self.locked_at is not None


class ImmutableCredit(ImmutableEntry):
    pass


class Credit(AppendOnly):
    """What one staff member earned (or gave back) from one ledger entry or one shoot."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="credits", verbose_name=_("staff member")
    )
    month = models.DateField(_("statement month"))
    basis = models.CharField(_("earned on"), max_length=20, choices=Basis.choices)
    rule = models.ForeignKey(
        CommissionRule, on_delete=models.PROTECT, related_name="credits", verbose_name=_("rule")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="+", verbose_name=_("order")
    )
    entry = models.ForeignKey(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledger entry"),
    )
    shoot = models.ForeignKey(
        Shoot, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("shoot"),
    )  # fmt: skip
    base = models.DecimalField(_("money received"), max_digits=10, decimal_places=2, default=ZERO)
    share = models.DecimalField(_("share %"), max_digits=5, decimal_places=2, default=HUNDRED)
    amount = models.DecimalField(_("commission"), max_digits=10, decimal_places=2)
    earned_at = models.DateTimeField(_("earned at"))
    created_at = models.DateTimeField(_("credited at"), default=timezone.now)

    immutable = ImmutableCredit
    cannot_change = _("Credits cannot be changed; a reversal writes new ones.")
    cannot_delete = _("Credits cannot be deleted; a reversal writes new ones.")

    class Meta:
        verbose_name = _("commission credit")
        verbose_name_plural = _("commission credits")
        ordering = ["earned_at", "pk"]
        indexes = [
            models.Index(fields=["branch", "month", "staff"], name="credit_branch_month"),
            models.Index(fields=["staff", "month"], name="credit_staff_month"),
        ]
        constraints = [
            # Exactly once per ledger entry (or shoot), person and basis.
            models.UniqueConstraint(
                fields=["entry", "staff", "basis"],
                condition=Q(entry__isnull=False),
                name="credit_once_per_entry",
            ),
            models.UniqueConstraint(
                fields=["shoot", "staff", "basis"],
                condition=Q(shoot__isnull=False),
                name="credit_once_per_shoot",
            ),
            models.CheckConstraint(
                condition=Q(entry__isnull=False) | Q(shoot__isnull=False),
                name="credit_from_entry_or_shoot",
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.get_basis_display()} {self.amount}"

    @property
    def carried(self):
        """Earned in an earlier month that was already locked."""
        return self.month != self.earned_at.astimezone(self.branch.tzinfo).date().replace(day=1)


class Reckoned(Kept):
    """A ledger entry or a shoot whose credits were worked out: claimed once, so two
    workers (the signal and a sweep, or two sweeps) never credit it twice."""

    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shoot = models.OneToOneField(
        Shoot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=False, shoot__isnull=True)
                | Q(entry__isnull=True, shoot__isnull=False),
                name="reckoned_entry_or_shoot",
            )
        ]

    def __str__(self):
        return f"{self.entry_id or ''}{self.shoot_id or ''}"
