from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoupleConfig(AppConfig):
    name = "couple"
    verbose_name = _("The couple's page")

    def ready(self):
        # When production shows the couple their proofs, they get their link (selection's
        # signal: the couple's page sits above every stage).
        from . import receivers  # noqa: F401
