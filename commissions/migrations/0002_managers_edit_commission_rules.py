"""Store managers and head office keep the commission rules in the admin and read the
credits, months and shares there (changed only through the app's services)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "add_commissionrule",
    "change_commissionrule",
    "delete_commissionrule",
    "view_commissionrule",
    "view_credit",
    "view_statementmonth",
    "view_saleshare",
]


def grant(apps, schema_editor):
    config = apps.get_app_config("commissions")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Permission.objects.filter(
        content_type__app_label="commissions", codename__in=PERMISSIONS
    )
    for role in ("manager", "chain_manager"):
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*wanted)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["manager", "chain_manager"]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="commissions")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("commissions", "0001_commission_rules_credits_months"),
        ("studio", "0012_chain_manager_role"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
