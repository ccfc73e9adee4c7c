from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Selection")

    def ready(self):
        # The kinds of text this app writes (studio.texts), and what it answers for the apps
        # below it (STYLE.md 16).
        from . import answers, receivers, texts  # noqa: F401
