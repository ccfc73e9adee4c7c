from decimal import Decimal

from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from orders.models import Order
from shoots.models import PostgresExclusionConstraint
from studio import validators
from studio.models import Branch, Customer, Kept, Staff

ZERO = Decimal("0.00")
MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(ZERO)]}
SIZE = {"max_digits": 5, "decimal_places": 1, "null": True, "blank": True}


class Dress(models.Model):
    """One piece of the rental inventory: a gown, a suit or an accessory set."""

    class Category(models.TextChoices):
        WEDDING_GOWN = "wedding_gown", _("Wedding gown")
        EVENING_DRESS = "evening_dress", _("Evening dress")
        QIPAO = "qipao", _("Qipao")
        MENS_SUIT = "mens_suit", _("Men's suit")
        ACCESSORIES = "accessories", _("Accessories")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        GOOD = "good", _("Good")
        WORN = "worn", _("Worn")
        REPAIR = "repair", _("Needs repair")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="dresses", verbose_name=_("branch")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    size = models.CharField(pgettext_lazy("clothing", "size"), max_length=10)
    colour = models.CharField(_("colour"), max_length=30, blank=True)
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    rental_price = models.DecimalField(_("rental price"), default=ZERO, **MONEY)
    deposit = models.DecimalField(_("deposit"), default=ZERO, **MONEY)
    cleaning_days = models.PositiveSmallIntegerField(
        _("cleaning days"),
        default=2,
        help_text=_("Days after a return before the dress can go out again."),
    )
    is_active = models.BooleanField(pgettext_lazy("dress", "active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dress")
        verbose_name_plural = _("dresses")
        ordering = ["branch", "category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "code"], name="dress_code_per_branch")
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    def clean(self):
        validators.check_branch_amounts(self, "rental_price", "deposit")


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class DressReservation(Kept):
    """礼服出租预约登记: a dress held for a couple from pickup to return, then cleaning.

    A reservation always belongs to an order: the rental fee is a charge on it and the
    deposit a hold in its ledger (docs/decisions.md, "Rentals"). `cleaning_until` is the
    return date plus the dress's cleaning days, fixed when the dress is reserved; on
    PostgreSQL an exclusion constraint keeps two live reservations of one dress from
    overlapping on [pickup_on, cleaning_until], and the service checks first to name the
    clash.
    """

    class Status(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        PICKED_UP = "picked_up", pgettext_lazy("dress reservation", "Picked up")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    class IdType(models.TextChoices):
        """Each with its own format check: studio.validators.normalise_id_document."""

        ID_CARD = validators.ID_CARD, _("Resident ID card")
        PASSPORT = validators.PASSPORT, _("Passport")
        HK_MACAO_PERMIT = validators.HK_MACAO_PERMIT, _("Home-return permit (Hong Kong, Macao)")
        TAIWAN_PERMIT = validators.TAIWAN_PERMIT, _("Taiwan compatriot permit")
        DRIVING_LICENCE = validators.DRIVING_LICENCE, _("Driving licence")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="dress_reservations",
        verbose_name=_("branch"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="dress_reservations",
        verbose_name=_("customer"),
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="dress_reservations", verbose_name=_("order")
    )
    dress = models.ForeignKey(
        Dress, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("dress")
    )
    wedding_date = models.DateField(_("wedding date"), null=True, blank=True)
    pickup_on = models.DateField(_("pickup date"))
    return_on = models.DateField(_("return date"))
    cleaning_until = models.DateField(_("cleaning until"))
    bust = models.DecimalField(_("bust (cm)"), **SIZE)
    waist = models.DecimalField(_("waist (cm)"), **SIZE)
    hips = models.DecimalField(_("hips (cm)"), **SIZE)
    height = models.DecimalField(_("height (cm)"), **SIZE)
    shoulder = models.DecimalField(_("shoulder (cm)"), **SIZE)
    accessories = models.CharField(
        _("accessories"),
        max_length=200,
        blank=True,
        help_text=_("Veil, gloves, petticoat, flowers…"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RESERVED
    )
    rental_price = models.DecimalField(_("rental price"), default=ZERO, **MONEY)
    deposit_amount = models.DecimalField(_("deposit"), default=ZERO, **MONEY)
    id_type = models.CharField(_("ID document"), max_length=12, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("ID document number"), max_length=40, blank=True)
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    deducted = models.DecimalField(_("deducted from the deposit"), default=ZERO, **MONEY)
    damage_notes = models.TextField(_("damage and lateness notes"), blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dress reservation")
        verbose_name_plural = _("dress reservations")
        ordering = ["pickup_on", "pk"]
        indexes = [
            models.Index(fields=["branch", "pickup_on"], name="dress_res_branch_pickup"),
            models.Index(fields=["branch", "return_on"], name="dress_res_branch_return"),
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["pickup_on", "branch"], name="dress_res_pickup"),
            # The dress list: each dress's live reservations from today on, however many
            # years of returned ones lie behind them.
            models.Index(
                fields=["dress", "cleaning_until"],
                condition=Q(status__in=["reserved", "picked_up"]),
                name="dress_res_live_until",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_on__gte=F("pickup_on")) & Q(cleaning_until__gte=F("return_on")),
                name="dress_res_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["picked_up", "returned"], id_number__gt="")
                | ~Q(status__in=["picked_up", "returned"]),
                name="dress_res_id_held_at_pickup",
            ),
            PostgresExclusionConstraint(
                name="no_double_dress_reservation",
                expressions=[
                    ("dress", RangeOperators.EQUAL),
                    (
                        DateRange("pickup_on", "cleaning_until", RangeBoundary(True, True)),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]

    def __str__(self):
        return f"{self.dress.code} {self.pickup_on}–{self.return_on}"

    def get_absolute_url(self):
        return reverse("rentals:detail", args=[self.pk])

    @property
    def masked_id_number(self):
        return validators.mask_id_number(self.id_number)

    @property
    def is_live(self):
        return self.status != self.Status.CANCELLED
