from importlib import import_module

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import roles

# Navigation by role: (label, url name, roles that see it). Each stage app lists its own
# pages in `<app>/nav.py` as NAV, in the same shape, and may name a GROUP: pages of one
# group that a user sees more than one of share a dropdown, so the bar fits a desk screen.
NAV_APPS = ["orders", "shoots", "selection", "pickup", "rentals", "followups"]
FRONT_DESK = _("Front desk")
CORE_NAV = [
    ((_("Today"), "home", roles.ALL), None),
    ((_("New visit"), "studio:visit_new", roles.FRONT_DESK), None),
    (
        (_("Packages"), "studio:packages", roles.FRONT_DESK | {roles.SELECTION_CONSULTANT}),
        FRONT_DESK,
    ),
    ((_("Rota"), "studio:rota", {roles.MANAGER}), FRONT_DESK),
    ((_("Reports"), "studio:reports", {roles.MANAGER}), FRONT_DESK),
    ((_("My leave"), "studio:leave", roles.ALL), FRONT_DESK),
    ((_("Locked logins"), "studio:lockouts", {roles.CHAIN_MANAGER}), None),
]


def _nav():
    items = list(CORE_NAV)
    for app in NAV_APPS:
        module = import_module(f"{app}.nav")
        items += [(item, getattr(module, "GROUP", None)) for item in module.NAV]
    return items


def nav_for(request):
    """The bar for this user: links, and dropdowns for groups with several pages."""
    staff = request.staff
    entries, groups = [], {}
    for (label, name, allowed), group in _nav():
        if not staff.has_role(*allowed):
            continue
        url = reverse(name)
        link = {"label": label, "url": url, "active": request.path == url}
        if group is None:
            entries.append(link)
            continue
        key = str(group)
        if key not in groups:
            groups[key] = {"label": group, "children": [], "active": False}
            entries.append(groups[key])
        groups[key]["children"].append(link)
        groups[key]["active"] |= link["active"]
    # A group with one visible page is just a link.
    return [e["children"][0] if len(e.get("children", ())) == 1 else e for e in entries]


def staff(request):
    staff = getattr(request, "staff", None)
    if staff is None:
        return {}
    return {
        "staff": staff,
        "current_branch": request.branch,
        "sees_money": staff.sees_money,
        "sees_contacts": staff.sees_contacts,
        "opens_customer_files": staff.opens_customer_files,
        "nav_items": nav_for(request),
    }
