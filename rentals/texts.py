"""What the rentals app writes into charges and the ledger (studio.texts)."""

from django.utils.translation import gettext_lazy as _

from studio import texts

RENTAL = texts.define("rentals.rental", _("Dress rental %(code)s, %(from)s–%(to)s"))
RENTAL_CANCELLED = texts.define("rentals.cancelled", _("Dress rental %(code)s cancelled"))
RENTAL_CANCELLED_BECAUSE = texts.define(
    "rentals.cancelled_because", _("Dress rental %(code)s cancelled: %(reason)s")
)
DEPOSIT = texts.define("rentals.deposit", _("Dress %(code)s"))
