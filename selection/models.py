from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from studio.models import Branch, Staff

# How long a selection session lasts when the branch has not set its own.
DEFAULT_SESSION_MINUTES = 120


class SessionLength(models.Model):
    """How long a selection session lasts at a branch: the consultant is held that long."""

    branch = models.OneToOneField(
        Branch, on_delete=models.CASCADE, related_name="selection_session_length",
        verbose_name=_("branch"),
    )  # fmt: skip
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=DEFAULT_SESSION_MINUTES, validators=[MinValueValidator(15)]
    )

    class Meta:
        verbose_name = _("selection session length")
        verbose_name_plural = _("selection session lengths")

    def __str__(self):
        return f"{self.branch.code}: {self.minutes}"


class SelectionSession(models.Model):
    """The couple's photo selection for one order (看样), and the facts its guards need."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="selection")
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_ends_at = models.DateTimeField(_("appointment ends"), null=True, blank=True)
    consultant = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("selection consultant"),
    )
    photo_count = models.PositiveIntegerField(_("photos taken"), default=0)
    files_transferred_at = models.DateTimeField(_("image files transferred"), null=True, blank=True)
    files_complete = models.BooleanField(_("image files checked complete"), default=False)
    signed_at = models.DateTimeField(_("production list signed"), null=True, blank=True)
    upsell_settled = models.BooleanField(_("upsell paid or recorded as owed"), default=False)
    change_window_waived = models.BooleanField(
        _("customer waived the 3-hour window"), default=False
    )
    booked_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("booked by"),
    )  # fmt: skip
    files_checked_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("image files checked by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        indexes = [
            models.Index(fields=["consultant", "appointment_at"], name="selection_consultant_at")
        ]

    def __str__(self):
        return str(self.order)

    @property
    def change_window_ends(self):
        if self.signed_at is None:
            return None
        return self.signed_at + timedelta(hours=settings.STUDIO_REOPEN_WINDOW_HOURS)

    def change_window_open(self, now=None):
        ends = self.change_window_ends
        return ends is not None and (now or timezone.now()) <= ends


class ProductionItem(models.Model):
    """One product to make for an order: album, enlargement, frame, crystal, USB…"""

    class Stage(models.TextChoices):
        RETOUCH = "retouch", _("Retouch")
        DESIGN = "design", _("Design")
        PRINT = "print", _("Print / bind")
        QC = "qc", _("Quality control")
        DONE = "done", _("Done")
        REWORK = "rework", _("Rework")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="production_items")
    name = models.CharField(_("item"), max_length=100)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.RETOUCH
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    qc_passed_at = models.DateTimeField(_("passed QC"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)

    class Meta:
        verbose_name = _("production item")
        verbose_name_plural = _("production items")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} × {self.quantity}"
