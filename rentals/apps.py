from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RentalsConfig(AppConfig):
    name = "rentals"
    verbose_name = _("Rentals")

    def ready(self):
        # The kinds of text this app writes (studio.texts), and what it answers for the apps
        # below it (STYLE.md 16).
        from . import answers, texts  # noqa: F401
