from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Aftercare")

    def ready(self):
        from . import receivers, texts  # noqa: F401 - signal receivers; the kinds of text it writes
