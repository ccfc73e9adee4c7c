from importlib import import_module

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import roles

# Navigation by role: (label, url name, roles that see it). Each stage app lists its own
# pages in `<app>/nav.py` as NAV, in the same shape, and they follow in this order.
NAV_APPS = ["orders", "shoots", "selection", "pickup", "rentals", "followups"]
CORE_NAV = [
    (_("Today"), "home", roles.ALL),
    (_("New visit"), "studio:visit_new", roles.FRONT_DESK),
    (_("Packages"), "studio:packages", roles.FRONT_DESK | {roles.SELECTION_CONSULTANT}),
    (_("Rota"), "studio:rota", {roles.MANAGER}),
    (_("My leave"), "studio:leave", roles.ALL),
]


def _nav():
    items = list(CORE_NAV)
    for app in NAV_APPS:
        items += import_module(f"{app}.nav").NAV
    return items


def staff(request):
    staff = getattr(request, "staff", None)
    if staff is None:
        return {}
    nav = []
    for label, name, allowed in _nav():
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
