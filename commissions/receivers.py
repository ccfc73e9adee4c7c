"""Credits are written in the transaction that records the money (or finishes the shoot):
the payment and what it earned commit together, or neither does (docs/decisions.md,
"Commissions")."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from orders.models import LedgerEntry
from shoots.models import Shoot

from . import services
from .models import Reckoned


@receiver(post_save, sender=LedgerEntry, dispatch_uid="commissions_credit_entry")
def credit_entry(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.credit_entry(entry=instance)


@receiver(post_save, sender=Shoot, dispatch_uid="commissions_credit_shoot")
def credit_shoot(sender, instance, created, raw=False, **kwargs):
    if raw or instance.status != Shoot.Status.FINISHED:
        return
    if not Reckoned.objects.filter(shoot=instance).exists():
        services.credit_shoot(shoot=instance)
