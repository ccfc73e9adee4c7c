from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StudioConfig(AppConfig):
    name = "studio"
    verbose_name = _("Studio")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import post_migrate

        from . import checks, library_texts, permissions  # noqa: F401
        from .roles import role_label

        # Store managers and head office keep their admin permissions as models are added.
        post_migrate.connect(permissions.sync, dispatch_uid="studio.permissions.sync")

        # A role is a group named by its slug (studio.roles); wherever Django shows a group
        # (the admin's users and groups), show the role's name in the reader's language.
        Group.__str__ = role_label


class StudioAdminConfig(admin_apps.AdminConfig):
    """Django's admin on `studio.admin_site.StudioAdminSite`."""

    default = False

    default_site = "studio.admin_site.StudioAdminSite"
