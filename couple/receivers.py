"""What the couple's page does when a stage announces something."""

from django.dispatch import receiver

from selection.signals import photos_ready, proofs_shown

from . import services


@receiver(proofs_shown)
def send_the_proofs_link(sender, *, order, by, **kwargs):
    """In the transaction that showed the proofs: the couple's link with the news."""
    services.send_proofs_link(order=order, by=by)


@receiver(photos_ready)
def send_the_photos_link(sender, *, order, **kwargs):
    """In the transaction that found every photo ready: the couple's link, to mark their
    favourites at home."""
    services.send_photos_link(order=order)
