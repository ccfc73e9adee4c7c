"""A store manager keeps their own branch's SMS gateway (provider, signature, app id) and
its template codes in the admin (scoped to their branch); head office keeps all."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODES = ["add_smstemplatecode", "change_smstemplatecode", "delete_smstemplatecode", "view_smstemplatecode"]  # fmt: skip
CHAIN = CODES
MANAGER = [*CODES, "change_smssignature"]


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
    for role, codenames in (("chain_manager", CHAIN), ("manager", MANAGER)):
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="followups", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("followups", "0017_branch_sms_gateways_and_template_codes")]
    operations = [migrations.RunPython(grant, revoke)]
