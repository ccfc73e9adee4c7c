"""Create one group per staff role, with the model permissions each role needs.

The access rules for pages live in the views (studio.access); these permissions govern
the Django admin, which managers use for catalogues and staff.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "manager": "__all__",
    "receptionist": [
        "studio.view_customer", "studio.add_customer", "studio.change_customer",
        "studio.view_package", "orders.view_order", "orders.add_order",
        "orders.view_ledgerentry", "orders.add_ledgerentry",
    ],
    "cashier": ["orders.view_order", "orders.view_ledgerentry", "orders.add_ledgerentry"],
    "customer_service": ["studio.view_customer", "studio.change_customer", "orders.view_order"],
    "dispatcher": ["shoots.view_shoot", "shoots.add_shoot", "shoots.change_shoot"],
    "selection_consultant": [
        "selection.view_selectionsession", "selection.change_selectionsession",
        "orders.view_order", "orders.add_ledgerentry",
    ],
    "retoucher": ["selection.view_productionitem", "selection.change_productionitem"],
    "production": ["selection.view_productionitem", "selection.change_productionitem"],
    "pickup_clerk": [
        "selection.view_productionitem", "orders.view_order", "orders.add_ledgerentry",
    ],
    "dress_stylist": ["shoots.view_shoot"],
    "makeup_artist": ["shoots.view_shoot"],
    "photographer": ["shoots.view_shoot"],
    "assistant": ["shoots.view_shoot"],
    "driver": ["shoots.view_shoot"],
}
PROJECT_APPS = ["studio", "orders", "shoots", "selection", "pickup", "rentals", "followups"]


def create_roles(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if perms == "__all__":
            wanted = Permission.objects.filter(content_type__app_label__in=PROJECT_APPS)
        else:
            wanted = [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in (p.split(".") for p in perms)
            ]
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0001_initial"),
        ("orders", "0001_initial"),
        ("shoots", "0001_initial"),
        ("selection", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
