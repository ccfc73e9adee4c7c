"""The photos in the admin: head office and the store managers look at them (read-only;
they are added by the upload and the import command)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_photo"]


def grant(apps, schema_editor):
    config = apps.get_app_config("selection")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ("chain_manager", "manager"):
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="selection", codename__in=VIEW)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["chain_manager", "manager"]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="selection", codename__in=VIEW)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0011_photos"),
        ("studio", "0012_chain_manager_role"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
