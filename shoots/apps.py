from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShootsConfig(AppConfig):
    name = "shoots"
    verbose_name = _("Shoots")
