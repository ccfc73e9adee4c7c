from django.utils.translation import gettext_lazy as _

from studio import roles

NAV = [
    (_("My calls"), "followups:tasks", roles.CALLS_CUSTOMERS | roles.FRONT_DESK),
    (_("Care rules"), "followups:care_rules", {roles.MANAGER, roles.CHAIN_MANAGER}),
]
