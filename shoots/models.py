from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from studio.models import Branch, Staff


class Shoot(models.Model):
    """A booking on the photography control sheet (摄控表)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CHECKED_IN = "checked_in", _("Checked in")
        FINISHED = "finished", _("Finished")
        NO_SHOW = "no_show", _("No-show")
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shoots")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="shoots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("planned finish"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shoot")
        verbose_name_plural = _("shoots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shoot_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.order} {self.starts_at:%Y-%m-%d %H:%M}"
