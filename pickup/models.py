from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from studio.models import Branch, Staff


class PickupAppointment(models.Model):
    """A time on the pickup control sheet (取件控制表) for a couple to collect their order.

    The slip number is printed on the pickup slip the customer brings to the desk. A moved
    appointment keeps its row (status "moved"), so the history of dates stays.
    """

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
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
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pickup appointment")
        verbose_name_plural = _("pickup appointments")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "slip_number"], name="pickup_slip_number_per_branch"
            ),
        ]
        indexes = [models.Index(fields=["branch", "starts_at"], name="pickup_branch_start")]

    def __str__(self):
        return f"{self.slip_number} {self.order}"


class SlipSequence(models.Model):
    """The last pickup slip number issued per branch; locked while the next one is taken."""

    branch = models.OneToOneField(Branch, on_delete=models.PROTECT, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.branch.code}: {self.last}"
