from django.utils.translation import gettext_lazy as _

from studio import roles

NAV = [
    (_("Orders"), "orders:list", roles.SEES_MONEY),
    (_("Overdue balances"), "orders:overdue", roles.FRONT_DESK),
    (_("Transfers between branches"), "orders:transfers", {roles.MANAGER}),
]
# The desk's orders pages share one dropdown, so the bar fits a desk screen.
GROUP = _("Orders")
