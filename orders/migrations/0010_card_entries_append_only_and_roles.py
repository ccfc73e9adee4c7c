"""Card entries are money history like the ledger: PostgreSQL refuses to change or delete
them (the same function as 0002). Store managers and head office see cards, card entries
and fapiao requests in the admin, and keep their branch's top-up bonus rules there."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from studio.dbops import postgres_only_sql

FORWARD = """
CREATE TRIGGER orders_cardentry_append_only BEFORE UPDATE OR DELETE ON orders_cardentry
  FOR EACH ROW EXECUTE FUNCTION studio_refuse_change();
"""
BACKWARD = "DROP TRIGGER IF EXISTS orders_cardentry_append_only ON orders_cardentry;"

MODELS = ["cardbonusrule", "storedvaluecard", "cardentry", "fapiaorequest"]
EVERY = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    config = apps.get_app_config("orders")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ("manager", "chain_manager"):
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=EVERY)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["manager", "chain_manager"]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=EVERY)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0009_stored_value_cards_and_fapiao_requests"),
        ("studio", "0012_chain_manager_role"),
    ]
    operations = [postgres_only_sql(FORWARD, BACKWARD), migrations.RunPython(grant, revoke)]
