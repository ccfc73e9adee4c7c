from django.utils.translation import gettext_lazy as _

from studio import roles

from .views import BOARD_ROLES, DIFFERENCE_ROLES, SELECTION_ROLES

GROUP = _("Selection & pickup")
NAV = [
    (_("Viewing sheet"), "selection:sheet", SELECTION_ROLES),
    (_("Production board"), "selection:board", BOARD_ROLES),
    (_("Lower totals to settle"), "selection:lowered", DIFFERENCE_ROLES),
    # Those who hold the files; the consultant and the manager reach them from the sheet.
    (_("Photos"), "selection:photo_orders", {roles.PHOTOGRAPHER, roles.RETOUCHER}),
]
