"""Head office reads and lifts login lockouts (django-axes) in the admin too, as on the
"Locked logins" page; store managers don't."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "chain_manager"


def grant(apps, schema_editor):
    config = apps.get_app_config("axes")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="axes"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ROLE):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="axes"))


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0016_history_follows_checked_fields"),
        ("studio", "0012_chain_manager_role"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
