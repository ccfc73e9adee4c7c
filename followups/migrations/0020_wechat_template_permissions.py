"""Head office keeps the WeChat Official Account's templates (one account for the chain)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CHAIN = ["add_wechattemplate", "change_wechattemplate", "delete_wechattemplate", "view_wechattemplate"]  # fmt: skip


def grant(apps, schema_editor):
    config = apps.get_app_config("followups")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="chain_manager")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="followups", codename__in=CHAIN)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="chain_manager"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="followups", codename__in=CHAIN)
        )


class Migration(migrations.Migration):
    dependencies = [("followups", "0019_wechat_templates_and_no_openid_reason")]
    operations = [migrations.RunPython(grant, revoke)]
