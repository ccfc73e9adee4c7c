"""Store managers see their branches' payment plans and transfers in the admin (read only:
both are written by the services), head office sees every branch's, like the ledger."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["planrevision", "instalment", "transfer", "transferredorder"]
CHAIN = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]
MANAGER = [f"view_{model}" for model in MODELS]


def grant(apps, schema_editor):
    config = apps.get_app_config("orders")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in (("chain_manager", CHAIN), ("manager", MANAGER)):
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["chain_manager", "manager"]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=CHAIN)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0009_payment_plans_and_transfers"),
        ("studio", "0012_chain_manager_role"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
