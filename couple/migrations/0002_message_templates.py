"""The couple's page's messages in both languages (its link, the proofs ready, the code
by SMS). The admin permissions come from studio.permissions (after every migrate)."""

from django.db import migrations

TEMPLATES = [
    ("couple_link", "en", (
        "{couple}, your own page at {store}: follow your order and see your album's design "
        "at {link} This link is yours only; please do not share it."
    )),
    ("couple_link", "zh-hans", (
        "【{store}】{couple}您好，您的专属页面已开通：{link} 可随时查看订单进度和相册设计稿。"
        "此链接仅供您本人使用，请勿转发。"
    )),
    ("couple_proofs_ready", "en", (
        "{couple}, the design of your album is ready: look at it on {link} and approve each "
        "page or tell us what to change. {store}"
    )),
    ("couple_proofs_ready", "zh-hans", (
        "【{store}】{couple}您好，您的相册设计稿已完成，请打开 {link} 查看，"
        "逐页确认或留言告诉我们需要修改的地方。"
    )),
    ("couple_pin", "en", (
        "{store}: the code for your page is {code}. It works for 15 minutes. "
        "If you did not ask for it, ignore this message."
    )),
    ("couple_pin", "zh-hans", (
        "【{store}】您的验证码为 {code}，15 分钟内有效。如非本人操作，请忽略本短信。"
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
    dependencies = [
        ("couple", "0001_couple_links"),
        ("followups", "0014_care_rule_finder_indexes"),
    ]
    operations = [migrations.RunPython(forward, backward)]
