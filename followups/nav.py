from django.utils.translation import gettext_lazy as _

from studio import roles

NAV = [
    (_("My calls"), "followups:tasks", roles.CALLS_CUSTOMERS | roles.FRONT_DESK),
    (_("Care rules"), "followups:care_rules", {roles.MANAGER, roles.CHAIN_MANAGER}),
    # Managers reach it from the care rules page: their menu is full at 1366 px.
    (_("Messages to check"), "followups:messages_to_check", {roles.CUSTOMER_SERVICE}),
]
