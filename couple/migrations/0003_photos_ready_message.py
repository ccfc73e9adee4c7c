"""The message that sends the couple their link when their photos are ready to look at
(and to mark favourites in) before the selection, in both languages."""

from django.db import migrations

TEMPLATES = [
    ("couple_photos_ready", "en", (
        "{couple}, your photos are ready: look through them on {link} and tap ♥ on the ones "
        "you love before your selection appointment. This link is yours only. {store}"
    )),
    ("couple_photos_ready", "zh-hans", (
        "【{store}】{couple}您好，您的照片已上传，请在选片前打开 {link} 浏览，"
        "点 ♥ 标记喜欢的照片。此链接仅供您本人使用，请勿转发。"
    )),
]  # fmt: skip


def forward(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for key, language, body in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            key=key, language=language, defaults={"channel": "sms", "body": body}
        )


def backward(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    MessageTemplate.objects.filter(key__in={t[0] for t in TEMPLATES}).delete()


class Migration(migrations.Migration):
    dependencies = [("couple", "0002_message_templates")]
    operations = [migrations.RunPython(forward, backward)]
