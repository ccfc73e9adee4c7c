from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Aftercare")

    def ready(self):
        # The kinds of text this app writes (studio.texts), the care rules' triggers with
        # followups' own finders (the stages register theirs), and what it does when the
        # core announces something (studio.signals).
        from . import receivers, texts, triggers  # noqa: F401
