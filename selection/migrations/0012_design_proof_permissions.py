"""Store managers see the design proofs (under the production items) in the admin, as
they see every selection record (studio 0002: "manager: __all__")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGER = ["view_designproof"]


def grant(apps, schema_editor):
    config = apps.get_app_config("selection")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ("manager", "chain_manager"):
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="selection", codename__in=MANAGER)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0011_design_proofs"),
        ("studio", "0012_chain_manager_role"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
