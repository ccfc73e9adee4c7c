"""The bar at the top of every page, for the user's roles: it gathers every app's pages.

Each app lists its pages in `<app>/nav.py` as NAV — (label, url name, roles that see it) —
and may name a GROUP: pages of one group that a user sees more than one of share a
dropdown, so the bar fits a desk screen.
"""

from functools import cache, lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
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
    """The bar for this user: links, and dropdowns for groups with several pages, each
    entry a dict (label, url, active; a dropdown's children instead of its url)."""
    path = request.path
    entries = []
    for label, target in _bar_for_staff(request.staff):
        if isinstance(target, str):
            entries.append({"label": label, "url": target, "active": path == target})
        else:
            children = [{"label": c, "url": u, "active": path == u} for c, u in target]
            active = any(child["active"] for child in children)
            entries.append({"label": label, "children": children, "active": active})
    return entries


def nav_html(request) -> SafeString:
    """`nav_for`'s entries as the layout writes them (an `<li>` each; a dropdown for a
    group). Written here rather than by a template loop: the loop cost ~2,000 Python calls
    on every page."""
    out = []
    for entry in nav_for(request):
        active = " active" if entry["active"] else ""
        label = escape(entry["label"])
        if "url" in entry:
            out.append(
                f'\n          \n          <li class="nav-item"><a class="nav-link{active}" '
                f'href="{escape(entry["url"])}">{label}</a></li>\n          \n        '
            )
            continue
        children = "".join(
            f'<li><a class="dropdown-item{" active" if child["active"] else ""}" '
            f'href="{escape(child["url"])}">{escape(child["label"])}</a></li>'
            for child in entry["children"]
        )
        out.append(
            '\n          \n          <li class="nav-item dropdown">'
            f'\n            <a class="nav-link dropdown-toggle{active}" href="#" role="button" '
            f'data-bs-toggle="dropdown" aria-expanded="false">{label}</a>'
            f'\n            <ul class="dropdown-menu">\n              {children}'
            "\n            </ul>\n          </li>\n          \n        "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


def _bar_for_staff(staff):
    return _bar_for(
        staff.user.is_superuser,
        frozenset(staff.role_set),
        get_language(),
        get_script_prefix(),
        get_urlconf(),
    )


@lru_cache(maxsize=256)
def _bar_for(superuser, role_set, language, prefix, urlconf):
    """The bar of a set of roles in a language, as (label, url) for a link and (label,
    ((label, url), ...)) for a dropdown: the same for everyone with those roles, so made
    once per process. A group with one visible page is just a link."""
    entries, groups = [], {}
    for (label, name, allowed), group in bar():
        if not (superuser or role_set.intersection(allowed)):
            continue
        url = _url(name, prefix, urlconf)
        if group is None:
            entries.append((str(label), url))
            continue
        key = str(group)
        if key not in groups:
            groups[key] = []
            entries.append((key, groups[key]))
        groups[key].append((str(label), url))
    return tuple(
        (label, target)
        if isinstance(target, str)
        else target[0]
        if len(target) == 1
        else (label, tuple(target))
        for label, target in entries
    )
