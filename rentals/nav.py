from django.utils.translation import gettext_lazy as _

from .views import VIEW_ROLES

GROUP = _("Dresses")
NAV = [
    (_("Dresses"), "rentals:dresses", VIEW_ROLES),
    (_("Dress reservations"), "rentals:reservations", VIEW_ROLES),
]
