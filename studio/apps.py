from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StudioConfig(AppConfig):
    name = "studio"
    verbose_name = _("Studio")

    def ready(self):
        from . import checks  # noqa: F401


class StudioAdminConfig(admin_apps.AdminConfig):
    """Django's admin on `studio.admin_site.StudioAdminSite`."""

    default = False

    default_site = "studio.admin_site.StudioAdminSite"
