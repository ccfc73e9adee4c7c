from django.utils.translation import gettext_lazy as _

from .views import SELECTION_ROLES

GROUP = _("Selection & pickup")
NAV = [(_("Viewing sheet"), "selection:sheet", SELECTION_ROLES)]
