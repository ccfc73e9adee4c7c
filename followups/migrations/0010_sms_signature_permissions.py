"""Head office registers the branches' SMS signatures with the provider and keeps them in
the admin; a store manager sees their branch's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CHAIN = ["add_smssignature", "change_smssignature", "delete_smssignature", "view_smssignature"]
MANAGER = ["view_smssignature"]


def grant(apps, schema_editor):
    config = apps.get_app_config("followups")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in (("chain_manager", CHAIN), ("manager", MANAGER)):
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="followups", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["chain_manager", "manager"]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="followups", codename__in=CHAIN)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0009_exactly_once_sending_and_sms_signatures"),
        ("studio", "0012_chain_manager_role"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
