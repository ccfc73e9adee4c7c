"""The chain manager (head office) role: every permission of the studio's apps, and those
only head office holds (users and their roles, beat schedules, the state log)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "chain_manager"
APPS = [
    "studio",
    "orders",
    "shoots",
    "selection",
    "pickup",
    "rentals",
    "followups",
    "auth",
    "django_celery_beat",
    "django_fsm_log",
]


def create_role(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0011_history_of_hand_edited_records"),
        ("followups", "0006_history_of_care_rules_and_templates"),
        ("rentals", "0002_history_of_dresses"),
        ("selection", "0007_history_of_price_lists"),
        ("shoots", "0004_history_of_time_budgets"),
        ("pickup", "0002_handover"),
        ("orders", "0002_ledger_is_append_only"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("django_fsm_log", "0005_description_null"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_role, remove_role)]
