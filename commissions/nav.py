from django.utils.translation import gettext_lazy as _

from studio import roles

GROUP = _("Commissions")
NAV = [
    (_("My commissions"), "commissions:statement", roles.EARNS_COMMISSION),
    (_("Branch commissions"), "commissions:branch", {roles.MANAGER}),
    (_("Commission rules"), "commissions:rules", {roles.MANAGER}),
]
