from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from studio.models import Branch, Customer, Staff


class CallTask(models.Model):
    """A call to make, on a staff member's "today" list (owner first, or their agent).

    `occasion` makes every rule fire once per customer and occasion: creating the same
    occasion twice returns the first task.
    """

    class Kind(models.TextChoices):
        VISIT_FOLLOWUP = "visit_followup", _("Follow up a visit that did not book")
        URGE = "urge", _("Urge to shoot or pay the balance")
        SHOOT_CONFIRM = "shoot_confirm", _("Confirm the shoot")
        NO_SHOW = "no_show", _("Call after a no-show")
        SELECTION_CONFIRM = "selection_confirm", _("Confirm the selection appointment")
        PICKUP_NOTICE = "pickup_notice", _("Pickup notice")
        DELAY_APOLOGY = "delay_apology", _("Apologise for a delay")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        FAILED = "failed", _("No answer")
        CANCELLED = "cancelled", _("Cancelled")

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="call_tasks")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="call_tasks", verbose_name=_("customer")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="call_tasks"
    )
    assignee = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="call_tasks", verbose_name=_("assigned to")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occasion = models.CharField(max_length=120, unique=True)
    due_at = models.DateTimeField(_("due"))
    script = models.TextField(_("what to say"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("call task")
        verbose_name_plural = _("call tasks")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["assignee", "status", "due_at"], name="calltask_todo")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.customer}"

    @property
    def is_overdue(self):
        return self.status == self.Status.OPEN and self.due_at < timezone.now()
