"""The studio's own scripts greet a groom and a bride differently the morning after the
shoot and after the selection (seed 001: 男士 / 女士); these are those variants, in both
languages, next to the neutral text a recipient of unknown gender gets
(docs/decisions.md, "Texts the customer receives")."""

from django.db import migrations

# (key, gender): (English, 简体中文); an SMS greeting (care), like the neutral text.
VARIANTS = {
    ("shoot_greeting", "male"): (
        "Good morning {couple}! Thank you for your trust in {store}: you are our most "
        "valued friend. If anything during your shoot fell short, please forgive us. "
        "Customer care, {store}",
        "【{store}】{couple}早上好！感谢您对我们的支持，您是我们最尊贵的好朋友。"
        "拍照期间若有服务不周之处，恳请谅解！{store}客服部敬上"),
    ("shoot_greeting", "female"): (
        "Good morning {couple}! You were our most beautiful bride: your grace and poise "
        "impressed us all. If anything during your shoot fell short, please forgive us. "
        "Customer care, {store}",
        "【{store}】{couple}早上好！您是我们最美丽的新娘！您的气质与涵养令我们由衷欣赏。"
        "拍照期间若有招待不周之处，还望见谅。{store}客服部敬上"),
    ("selection_greeting", "male"): (
        "Good morning {couple}! Picture after picture, you are the stars of a love story "
        "that lasts forever. {store} wishes you a lifetime of happiness together!",
        "【{store}】{couple}早上好！一幅幅作品，是您二人山盟海誓的爱情结晶。"
        "祝您百年好合，永浴爱河！{store}敬上"),
    ("selection_greeting", "female"): (
        "Good morning {couple}! A radiant performance, beautiful charm and a style all "
        "your own: applause! Please accept {store}'s heartfelt thanks and best wishes.",
        "【{store}】{couple}早上好！最亮丽的演出、美丽的神韵、独具魅力的品味，掌声响起！"
        "请接受我们最真挚的感恩与祝福！"),
}  # fmt: skip


OPT_OUT = {"zh-hans": "回T退订", "en": " Reply T to unsubscribe."}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for (key, gender), texts in VARIANTS.items():
        for language, body in zip(("en", "zh-hans"), texts, strict=True):
            body += OPT_OUT[language]  # marketing SMS offer the way out (0022)
            MessageTemplate.objects.get_or_create(
                key=key,
                language=language,
                gender=gender,
                branch=None,
                defaults={"channel": "sms", "purpose": "care", "body": body},
            )


def unseed(apps, schema_editor):
    apps.get_model("followups", "MessageTemplate").objects.filter(
        key__in={key for key, _gender in VARIANTS}, gender__in=["male", "female"], branch=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("followups", "0025_templates_and_care_rules_per_branch_and_gender")]

    operations = [migrations.RunPython(seed, unseed)]
