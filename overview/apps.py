from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """Pages that gather every stage (Today, the customer file, the reports, the menu).

    The top of the layers: it may import every stage; no app imports it.
    """

    name = "overview"
    verbose_name = _("Overview")
