from django.utils.translation import gettext_lazy as _

from studio import roles

NAV = [
    (_("Orders"), "orders:list", roles.SEES_MONEY),
    (_("Overdue"), "orders:overdue", roles.FRONT_DESK),
    (_("Transfers"), "orders:transfers", {roles.MANAGER}),
]
