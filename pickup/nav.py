from django.utils.translation import gettext_lazy as _

from .views import SheetView

GROUP = _("Selection & pickup")
NAV = [
    (_("Pickups"), "pickup:sheet", SheetView.roles),
]
