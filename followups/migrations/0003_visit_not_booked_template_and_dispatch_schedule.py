"""The not-booked thank-you SMS in both languages and managers' rights to edit templates.

It also used to schedule the dispatcher; the schedule is now declared in studio/schedule.py
and written by `manage.py setup_periodic_tasks` (docs/decisions.md, "Celery")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TEMPLATES = [
    {
        "key": "visit_not_booked",
        "language": "en",
        "channel": "sms",
        "body": (
            "{couple}, thank you for visiting {store} today. This is {taker}, who showed you "
            "our packages: if you have any questions, call the store on {store_phone} and ask "
            "for me. We hope to see you again soon!"
        ),
    },
    {
        "key": "visit_not_booked",
        "language": "zh-hans",
        "channel": "sms",
        "body": (
            "【{store}】{couple}您好，我是今天为您介绍套系的门市{taker}，感谢您的光临！"
            "如有任何疑问，欢迎致电门店 {store_phone} 找我，期待再次为您服务。"
        ),
    },
]
MANAGER_PERMISSIONS = [
    "add_messagetemplate",
    "change_messagetemplate",
    "view_messagetemplate",
    "delete_messagetemplate",
    "view_outboxmessage",
]


def forward(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for t in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            key=t["key"], language=t["language"], defaults=t
        )

    config = apps.get_app_config("followups")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name="manager")
    managers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="followups", codename__in=MANAGER_PERMISSIONS
        )
    )


def backward(apps, schema_editor):
    apps.get_model("followups", "MessageTemplate").objects.filter(
        key__in={t["key"] for t in TEMPLATES}
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0002_messages"),
        ("studio", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forward, backward)]
