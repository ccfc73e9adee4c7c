"""The bar at the top of every page, for the user's roles: it gathers every app's pages.

Each app lists its pages in `<app>/nav.py` as NAV — (label, url name, roles that see it) —
and may name a GROUP: pages of one group that a user sees more than one of share a
dropdown, so the bar fits a desk screen.
"""

from functools import cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from commissions import nav as commissions_nav
from followups import nav as followups_nav
from orders import nav as orders_nav
from pickup import nav as pickup_nav
from rentals import nav as rentals_nav
from selection import nav as selection_nav
from shoots import nav as shoots_nav
from studio import nav as studio_nav
from studio import roles

STAGES = [orders_nav, shoots_nav, selection_nav, pickup_nav, rentals_nav, followups_nav]


def _grouped(module):
    return [(item, getattr(module, "GROUP", None)) for item in module.NAV]


def bar():
    """Every entry of the bar, in order, with its group (None: a link of its own)."""
    items = [((_("Today"), "home", roles.ALL), None)]
    items += [(item, None) for item in studio_nav.NAV_ALONE]
    for entry in _grouped(studio_nav):
        items.append(entry)
        if entry[0][1] == "studio:rota":  # the reports sit beside the rota in the dropdown
            reports = (_("Reports"), "overview:reports", {roles.MANAGER, roles.CHAIN_MANAGER})
            items.append((reports, entry[1]))
        if entry[0][1] == "studio:leave":  # one's own month beside one's leave; no new menu
            items += [(item, entry[1]) for item in commissions_nav.NAV]
    items += [(item, None) for item in studio_nav.NAV_LAST]
    for module in STAGES:
        items += _grouped(module)
    return items


@cache
def _url(name, prefix, urlconf):
    """The bar's addresses take no arguments: reversed once per process, prefix and URLconf."""
    return reverse(name, urlconf=urlconf)


def nav_for(request):
    """The bar for this user: links, and dropdowns for groups with several pages."""
    staff = request.staff
    entries, groups = [], {}
    for (label, name, allowed), group in bar():
        if not staff.has_role(*allowed):
            continue
        url = _url(name, get_script_prefix(), get_urlconf())
        link = {"label": str(label), "url": url, "active": request.path == url}
        if group is None:
            entries.append(link)
            continue
        key = str(group)
        if key not in groups:
            groups[key] = {"label": str(group), "children": [], "active": False}
            entries.append(groups[key])
        groups[key]["children"].append(link)
        groups[key]["active"] |= link["active"]
    # A group with one visible page is just a link.
    return [e["children"][0] if len(e.get("children", ())) == 1 else e for e in entries]
