from django.utils.translation import gettext_lazy as _

from .views import SheetView

NAV = [
    (_("Pickups"), "pickup:sheet", SheetView.roles),
]
