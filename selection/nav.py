from django.utils.translation import gettext_lazy as _

from .views import BOARD_ROLES, SELECTION_ROLES

GROUP = _("Selection & pickup")
NAV = [
    (_("Viewing sheet"), "selection:sheet", SELECTION_ROLES),
    (_("Production board"), "selection:board", BOARD_ROLES),
]
