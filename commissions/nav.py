"""The commission pages in the bar: overview/nav.py puts them in the front desk's menu
beside "My leave" (a menu of their own made the manager's bar too wide for a desk screen).
The rules are reached from the branch's month."""

from django.utils.translation import gettext_lazy as _

from studio import roles

NAV = [
    (_("My commissions"), "commissions:statement", roles.EARNS_COMMISSION),
    (_("Branch commissions"), "commissions:branch", {roles.MANAGER}),
]
