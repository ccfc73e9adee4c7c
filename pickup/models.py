from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.models import Order
from rentals.models import DressReservation
from selection.models import ProductionItem
from studio import texts
from studio.models import Branch, Kept, Staff
from studio.request_keys import key_column
from studio.validators import mask_id_number


class PickupAppointment(Kept):
    """A time on the pickup control sheet (取件控制表) for a couple to collect their order.

    The slip number is printed on the pickup slip the customer brings to the desk. A moved
    appointment keeps its row (status "moved"), so the history of dates stays.
    """

    class Status(models.TextChoices):
        BOOKED = "booked", pgettext_lazy("appointment", "Booked")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")
        MOVED = "moved", _("Moved")

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="pickups", verbose_name=_("order")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="pickups", verbose_name=_("branch")
    )
    starts_at = models.DateTimeField(_("time"))
    clerk = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pickup clerk"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    slip_number = models.CharField(_("pickup slip number"), max_length=30)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A note the system writes is a kind of text (studio.texts), shown in the reader's language.
    note_kind = models.CharField(max_length=60, blank=True, editable=False)
    note_params = models.JSONField(default=dict, blank=True, editable=False)
    checked_at = models.DateTimeField(_("items checked"), null=True, blank=True)
    slip_verified_at = models.DateTimeField(_("pickup slip verified"), null=True, blank=True)
    slip_verified_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    request_key = key_column(editable=False)

    class Meta:
        verbose_name = _("pickup appointment")
        verbose_name_plural = _("pickup appointments")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "slip_number"], name="pickup_slip_number_per_branch"
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "starts_at"], name="pickup_branch_start"),
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["starts_at", "branch"], name="pickup_starts"),
        ]

    def __str__(self):
        return f"{self.slip_number} {self.order}"

    @property
    def note_text(self):
        return texts.render(self.note_kind, self.note_params, fallback=self.note)


class SlipSequence(models.Model):
    """The last pickup slip number issued per branch; locked while the next one is taken."""

    branch = models.OneToOneField(Branch, on_delete=models.PROTECT, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.branch.code}: {self.last}"


class ItemCheck(models.Model):
    """The day-before count and check of one production item (spots, damage, errors)."""

    class Result(models.TextChoices):
        OK = "ok", pgettext_lazy("item check", "OK")
        SPOT = "spot", _("Spot")
        DAMAGE = "damage", _("Damage")
        ERROR = "error", _("Error")

    appointment = models.ForeignKey(
        PickupAppointment, on_delete=models.CASCADE, related_name="checks"
    )
    item = models.ForeignKey(ProductionItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("item check")
        verbose_name_plural = _("item checks")
        ordering = ["at", "pk"]
        # The admin lists in this order, for head office and for one branch alike.
        indexes = [models.Index(fields=["at"], name="item_check_at")]

    def __str__(self):
        return f"{self.item}: {self.result}"


class LostSlipMemo(Kept):
    """The lost-slip memo (取件单丢失备忘录): the customer shows an ID document and signs."""

    appointment = models.ForeignKey(
        PickupAppointment, on_delete=models.PROTECT, related_name="lost_slip_memos"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    id_type = models.CharField(
        _("ID document"), max_length=12, choices=DressReservation.IdType.choices
    )
    id_number = models.CharField(_("ID document number"), max_length=40)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lost-slip memo")
        verbose_name_plural = _("lost-slip memos")
        ordering = ["-signed_at", "pk"]

    def __str__(self):
        return f"{self.appointment.slip_number}: {self.id_type}"

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)


class PartialPickupMemo(Kept):
    """The partial pickup memo (取件备忘录): what is still owed and when it will be ready."""

    appointment = models.ForeignKey(
        PickupAppointment, on_delete=models.PROTECT, related_name="partial_memos"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField(ProductionItem, related_name="+", verbose_name=_("items"))
    rest_at = models.DateTimeField(_("the rest on"))
    next_appointment = models.ForeignKey(
        PickupAppointment, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("partial pickup memo")
        verbose_name_plural = _("partial pickup memos")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.order}: {self.rest_at:%Y-%m-%d}"


class Survey(Kept):
    """The satisfaction survey at pickup; it feeds the reports."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="surveys")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comments = models.TextField(_("comments"), blank=True)
    would_refer = models.BooleanField(_("would recommend us"), default=False)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-created_at", "pk"]
        # A day or month of surveys (the reports) and the admin list in this order.
        indexes = [models.Index(fields=["created_at"], name="survey_created_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="survey_score_1_to_5"
            ),
            models.UniqueConstraint(fields=["order"], name="one_survey_per_order"),
        ]

    def __str__(self):
        return f"{self.order}: {self.score}"
