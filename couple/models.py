from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from studio.models import Kept, Staff


class CoupleLink(Kept):
    """The private address of a couple's own page for one order (docs/decisions.md, "The
    couple's page"). Only a hash of its token is kept: the address itself exists in the
    message that carried it and on the couple's phone. It expires, staff revoke it, and it
    may ask for a code sent by SMS before showing anything."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="couple_links", verbose_name=_("order")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("made by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("made"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    needs_pin = models.BooleanField(_("asks for a code sent by SMS"), default=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("revoked by"),
    )  # fmt: skip
    # The code sent by SMS: its hash, until when it works, wrong tries, how many were sent.
    pin_hash = models.CharField(max_length=64, blank=True, editable=False)
    pin_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    pin_failures = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    pin_locked_until = models.DateTimeField(_("code locked until"), null=True, blank=True)
    pins_sent = models.PositiveSmallIntegerField(_("codes sent"), default=0)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("couple's link")
        verbose_name_plural = _("couple's links")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["order", "-created_at"], name="couple_link_order")]

    def __str__(self):
        return f"{self.order} · {self.created_at:%Y-%m-%d %H:%M}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
