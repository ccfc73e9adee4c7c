from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import roles

# Navigation by role: (label, url name, roles that see it).
NAV = [
    (_("Today"), "home", roles.ALL),
    (_("Orders"), "orders:list", roles.SEES_MONEY | {roles.DISPATCHER}),
    (_("Packages"), "studio:packages", roles.FRONT_DESK | {roles.SELECTION_CONSULTANT}),
]


def staff(request):
    staff = getattr(request, "staff", None)
    if staff is None:
        return {}
    nav = []
    for label, name, allowed in NAV:
        if staff.has_role(*allowed):
            nav.append(
                {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
            )
    return {
        "staff": staff,
        "current_branch": request.branch,
        "sees_money": staff.sees_money,
        "sees_contacts": staff.sees_contacts,
        "nav_items": nav,
    }
