"""The holidays the care rules greet on, with one switched-off-or-on rule and an SMS in both
languages each (docs/decisions.md, "Lunar calendar"). Apart from 0011: PostgreSQL creates
the new foreign key's index at the end of that migration, and rows written before it would
leave trigger events pending."""

from datetime import time

from django.contrib.auth.management import create_permissions
from django.db import migrations


# The holidays (docs/decisions.md, "Lunar calendar"): key, name, calendar, month, day,
# weekday (0 Monday … 6 Sunday), which one in the month.
HOLIDAYS = [
    ("spring_festival", "Spring Festival", "lunar", 1, 1, None, None),
    ("lantern_festival", "Lantern Festival", "lunar", 1, 15, None, None),
    ("qixi", "Qixi", "lunar", 7, 7, None, None),
    ("mid_autumn", "Mid-Autumn Festival", "lunar", 8, 15, None, None),
    ("double_ninth", "Double Ninth Festival", "lunar", 9, 9, None, None),
    ("new_year", "New Year's Day", "solar", 1, 1, None, None),
    ("valentines_day", "Valentine's Day", "solar", 2, 14, None, None),
    ("520", "520", "solar", 5, 20, None, None),
    ("mothers_day", "Mother's Day", "solar", 5, None, 6, 2),
    ("fathers_day", "Father's Day", "solar", 6, None, 6, 3),
]  # fmt: skip
# The greetings a wedding studio sends every year; the others wait for a branch's offer.
SWITCHED_ON = {"spring_festival", "qixi", "mid_autumn"}
DESCRIPTION = "Holiday: greeting on the day, to customers who agreed to marketing."
MORNING = time(9, 30)

# key: (English, 简体中文); SMS, marketing.
TEMPLATES = {
    "spring_festival": (
        "Happy Spring Festival, {couple}! Wishing you a year of health and happiness. "
        "With love from {store}.",
        "【{store}】{couple}，新春快乐！祝您新的一年身体健康、幸福美满、万事如意！"),
    "lantern_festival": (
        "Happy Lantern Festival, {couple}! May your family be together and your year "
        "bright. {store}",
        "【{store}】{couple}，元宵节快乐！愿您阖家团圆，花好月圆！"),
    "qixi": (
        "Happy Qixi, {couple}! Today is the lovers' festival: may you always be as happy "
        "as on your wedding day. {store}",
        "【{store}】{couple}，七夕快乐！愿您二人永远像婚礼那天一样甜蜜幸福。"),
    "mid_autumn": (
        "Happy Mid-Autumn Festival, {couple}! May the full moon bring your family "
        "together. {store}",
        "【{store}】{couple}，中秋快乐！月圆人团圆，祝您阖家幸福安康！"),
    "double_ninth": (
        "Happy Double Ninth Festival, {couple}! Our best wishes to your parents too. "
        "A family portrait at {store} makes a lasting gift: {store_phone}.",
        "【{store}】{couple}，重阳节快乐！祝家中长辈健康长寿。为爸妈拍一张全家福吧，"
        "预约电话 {store_phone}。"),
    "new_year": (
        "Happy New Year, {couple}! Thank you for being with {store}; all the best for "
        "the year ahead.",
        "【{store}】{couple}，元旦快乐！感谢您一直以来的支持，祝您新年幸福美满！"),
    "valentines_day": (
        "Happy Valentine's Day, {couple}! With love from all of us at {store}.",
        "【{store}】{couple}，情人节快乐！祝您二人甜甜蜜蜜，爱意永恒！"),
    "520": (
        "Happy 520, {couple}! Say \"I love you\" today; {store} wishes you every "
        "happiness.",
        "【{store}】{couple}，520快乐！今天记得说一声我爱你，祝您幸福甜蜜！"),
    "mothers_day": (
        "Happy Mother's Day, {couple}! Say thank you to Mum today; a portrait together at "
        "{store} is a gift she will keep: {store_phone}.",
        "【{store}】{couple}，母亲节快乐！今天别忘了对妈妈说声谢谢，"
        "和妈妈拍张合影吧，预约电话 {store_phone}。"),
    "fathers_day": (
        "Happy Father's Day, {couple}! Say thank you to Dad today; a portrait together at "
        "{store} is a gift he will keep: {store_phone}.",
        "【{store}】{couple}，父亲节快乐！今天别忘了对爸爸说声谢谢，"
        "和爸爸拍张合影吧，预约电话 {store_phone}。"),
}  # fmt: skip


def seed(apps, schema_editor):
    Holiday = apps.get_model("followups", "Holiday")
    CareRule = apps.get_model("followups", "CareRule")
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for key, name, calendar, month, day, weekday, nth in HOLIDAYS:
        holiday, _ = Holiday.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "calendar": calendar,
                "month": month,
                "day": day,
                "weekday": weekday,
                "nth": nth,
            },
        )
        en, zh = TEMPLATES[key]
        for language, body in (("en", en), ("zh-hans", zh)):
            MessageTemplate.objects.get_or_create(
                key=f"holiday_{key}",
                language=language,
                defaults={"channel": "sms", "marketing": True, "body": body},
            )
        CareRule.objects.get_or_create(
            key=f"holiday_{key}",
            defaults={
                "trigger": "holiday",
                "holiday": holiday,
                "offset_minutes": 0,
                "at_time": MORNING,
                "action": "message",
                "template_key": f"holiday_{key}",
                "is_active": key in SWITCHED_ON,
                "description": DESCRIPTION,
            },
        )


    config = apps.get_app_config("followups")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    managers, _ = apps.get_model("auth", "Group").objects.get_or_create(name="manager")
    # Head office holds every permission of the studio's apps (studio 0012).
    chain, _ = apps.get_model("auth", "Group").objects.get_or_create(name="chain_manager")
    chain.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="followups", content_type__model="holiday"
        )
    )
    managers.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="followups",
            codename__in=["view_holiday", "change_holiday"],
        )
    )


def unseed(apps, schema_editor):
    keys = [f"holiday_{h[0]}" for h in HOLIDAYS]
    apps.get_model("followups", "CareRule").objects.filter(key__in=keys).delete()
    apps.get_model("followups", "MessageTemplate").objects.filter(key__in=keys).delete()
    apps.get_model("followups", "Holiday").objects.filter(key__in=[h[0] for h in HOLIDAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("followups", "0011_holidays")]
    operations = [migrations.RunPython(seed, unseed)]
