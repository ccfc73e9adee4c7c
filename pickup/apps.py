from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PickupConfig(AppConfig):
    name = "pickup"
    verbose_name = _("Pickup")

    def ready(self):
        from . import texts  # noqa: F401 - the kinds of text this app writes (studio.texts)
