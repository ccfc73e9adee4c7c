from django.utils.translation import gettext_lazy as _

from studio import roles

from .views import DAY_ROLES, SHEET_ROLES

GROUP = _("Shoots")
NAV = [
    (_("Control sheet"), "shoots:day", SHEET_ROLES),
    (_("Board"), "shoots:board", DAY_ROLES),
    (_("Tomorrow"), "shoots:tomorrow", DAY_ROLES),
    (_("My queue"), "shoots:tablet", roles.FIELD),
]
