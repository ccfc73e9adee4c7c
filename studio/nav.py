from django.utils.translation import gettext_lazy as _

from . import roles

# The core's own pages in the bar, in the shape every app's nav.py uses (overview/nav.py
# assembles the bar). Unlike a stage, the core splits its pages: some stand alone, the
# rest share the "Front desk" dropdown.
FRONT_DESK = _("Front desk")
NAV_ALONE = [
    (_("New visit"), "studio:visit_new", roles.FRONT_DESK),
]
NAV = [
    (_("Packages"), "studio:packages", roles.FRONT_DESK | {roles.SELECTION_CONSULTANT}),
    (_("Rota"), "studio:rota", {roles.MANAGER}),
    (_("My leave"), "studio:leave", roles.ALL),
]
GROUP = FRONT_DESK
NAV_LAST = [
    (_("Locked logins"), "studio:lockouts", {roles.CHAIN_MANAGER}),
]
