"""The care rules of DOMAIN.md's aftercare table, their message templates in both
languages and managers' rights to edit them. (It also used to schedule the rules' run;
the schedule is now declared in studio/schedule.py and written by
`manage.py setup_periodic_tasks`.)

Not seeded here: the not-booked call and SMS (studio.services.close_visit queues them when
the consultation ends) and the shoot and selection confirmation calls (the shoots and
selection apps plan them); their triggers exist for rules managers add.
Offers and greetings are marketing: sent only with the customer's consent.
"""

from datetime import time

from django.contrib.auth.management import create_permissions
from django.db import migrations

DAY = 24 * 60
MORNING = time(9, 30)
OFFICE = time(10, 0)

RULES = [
    # key, trigger, offset (minutes), at time, action, template or call kind, description
    ("deposit_thanks_sms", "deposit_paid", 20, None, "message", "deposit_thanks",
     "Deposit paid: thank-you SMS within 30 minutes."),
    ("deposit_thanks_letter", "deposit_paid", DAY, OFFICE, "message", "deposit_letter",
     "Deposit paid: thank-you letter the next day."),
    ("urge_no_shoot_day10", "no_shoot_after_deposit", 10 * DAY, OFFICE, "call", "urge",
     "Day 10 after the deposit and still no shoot: urge call (shoot or pay the balance)."),
    ("offer_no_shoot_day15", "no_shoot_after_deposit", 15 * DAY, OFFICE, "message",
     "no_shoot_offer_15", "Day 15 and still no shoot: an offer to come within 15 days."),
    ("offer_no_shoot_day60", "no_shoot_after_deposit", 60 * DAY, OFFICE, "message",
     "no_shoot_offer_60", "Day 60 and still no shoot: a better offer."),
    ("shoot_greeting", "shoot_done", DAY, MORNING, "message", "shoot_greeting",
     "The morning after the shoot: greeting SMS."),
    ("selection_greeting", "selection_done", DAY, MORNING, "message", "selection_greeting",
     "The morning after the selection: greeting SMS."),
    ("pickup_notice_call", "ready_for_pickup", -DAY, OFFICE, "call", "pickup_notice",
     "The day before the pickup: call to come, with the slip and a helper for large items."),
    ("pickup_notice_sms", "ready_for_pickup", -DAY, OFFICE, "message", "pickup_notice",
     "The day before the pickup: the notice by SMS instead of a call (switched off)."),
    ("delivered_thanks_letter", "delivered", 3 * DAY, OFFICE, "message", "delivered_thanks",
     "Delivered: thank-you letter within 7 days."),
    ("vip_greeting_day30", "delivered_no_referral", 30 * DAY, OFFICE, "message",
     "vip_greeting", "30 days after delivery, no referral yet: VIP greeting."),
    ("birthday_greeting", "birthday", 0, MORNING, "message", "birthday_greeting",
     "Bride's or groom's birthday: greeting on the day."),
    ("anniversary_greeting", "wedding_anniversary", 0, MORNING, "message",
     "anniversary_greeting", "Wedding anniversary: greeting on the day."),
    ("referral_thanks", "referred_order_booked", DAY, OFFICE, "message", "referral_thanks",
     "A referred couple signed: thank the referrer the next day."),
    ("complaint_apology_letter", "complaint_logged", DAY, OFFICE, "message",
     "complaint_apology", "Complaint logged: apology letter within 7 days."),
    ("call_failed_offer_letter", "call_failed", DAY, OFFICE, "message", "call_failed_offer",
     "Follow-up call not answered: special-offer letter the next day."),
]  # fmt: skip
SWITCHED_OFF = {"pickup_notice_sms"}
SCRIPTS = {
    "urge_no_shoot_day10": (
        "Ten days since the deposit and no shoot is booked: offer dates for the shoot, or "
        "remind them of the balance. Log what they said."
    ),
    "pickup_notice_call": (
        "Their order is ready: confirm tomorrow's pickup time, ask them to bring the pickup "
        "slip, and a helper for large frames."
    ),
}

# key: (channel, marketing, English, 简体中文)
TEMPLATES = {
    "deposit_thanks": ("sms", False,
        "{couple}, thank you for choosing {store}! Your deposit is received. {owner} will "
        "look after you all the way; questions: {store_phone}.",
        "【{store}】{couple}您好，感谢您选择我们！定金已收到，{owner}将全程为您服务。"
        "如有疑问请致电 {store_phone}。"),
    "deposit_letter": ("letter", False,
        "Dear {couple},\n\nThank you for entrusting your wedding photographs to {store}. "
        "We look forward to your shoot and will take care of every detail.\n\n"
        "{owner}, {store} ({store_phone})",
        "亲爱的{couple}：\n\n感谢您将婚纱摄影托付给{store}。我们期待为您拍摄，"
        "并会用心照顾好每一个细节。\n\n{store} {owner}（门店电话 {store_phone}）"),
    "no_shoot_offer_15": ("sms", True,
        "{couple}, your shoot at {store} is waiting! Book a date within 15 days and enjoy "
        "a gift from us. Call {store_phone}.",
        "【{store}】{couple}您好，您的拍摄还在等您！15天内预约拍摄即可获赠礼品，"
        "欢迎致电 {store_phone}。"),
    "no_shoot_offer_60": ("sms", True,
        "{couple}, we have kept a special offer for you at {store}: call {store_phone} to "
        "book your shoot.",
        "【{store}】{couple}您好，我们为您保留了一份特别优惠，欢迎致电 {store_phone} "
        "预约拍摄。"),
    "shoot_greeting": ("sms", True,
        "Good morning {couple}! Thank you for yesterday's shoot at {store}; we hope you "
        "rest well. We will call you when your photos are ready to view.",
        "【{store}】{couple}早上好！感谢您昨天的拍摄，辛苦了，请好好休息。"
        "照片可以看样时我们会通知您。"),
    "selection_greeting": ("sms", True,
        "Good morning {couple}! Thank you for choosing your photos with us yesterday. "
        "{store} is now making your album with care.",
        "【{store}】{couple}早上好！感谢您昨天来选片，我们正在用心为您制作相册。"),
    "pickup_notice": ("sms", False,
        "{couple}, your photos are ready! Your pickup at {store} is tomorrow: please bring "
        "the pickup slip, and a helper for large frames. {store_phone}",
        "【{store}】{couple}您好，您的作品已完成！明天取件时请携带取件单，"
        "大件相框请带帮手。{store_phone}"),
    "delivered_thanks": ("letter", False,
        "Dear {couple},\n\nThank you for letting {store} share your happiest moments. We "
        "hope your album brings you joy for many years.\n\n{owner}, {store}",
        "亲爱的{couple}：\n\n感谢您让{store}见证您最幸福的时刻，愿这本相册陪伴您多年。"
        "\n\n{store} {owner}"),
    "vip_greeting": ("sms", True,
        "{couple}, as our VIP you enjoy member prices at {store} on family and anniversary "
        "portraits. Share it with friends: {store_phone}.",
        "【{store}】{couple}您好，作为我们的VIP会员，您拍摄全家福、纪念照可享会员价，"
        "也欢迎推荐亲友。{store_phone}"),
    "birthday_greeting": ("sms", True,
        "Happy birthday from all of us at {store}, {couple}!",
        "【{store}】{couple}，祝您生日快乐！全体同仁敬上。"),
    "anniversary_greeting": ("sms", True,
        "Happy wedding anniversary, {couple}! With love from {store}.",
        "【{store}】{couple}，祝您结婚纪念日快乐，幸福美满！"),
    "referral_thanks": ("sms", False,
        "{couple}, thank you for recommending {store} to your friends! Your referral "
        "reward is waiting for you at the store.",
        "【{store}】{couple}您好，感谢您把我们推荐给亲友！您的推荐礼已在门店为您备好。"),
    "complaint_apology": ("letter", False,
        "Dear {couple},\n\nWe are sorry that we let you down. {owner} is looking after your "
        "concern personally and will keep you informed.\n\n{store} ({store_phone})",
        "亲爱的{couple}：\n\n非常抱歉让您失望了。{owner}正在亲自处理您反映的问题，"
        "并会随时与您联系。\n\n{store}（门店电话 {store_phone}）"),
    "call_failed_offer": ("letter", True,
        "Dear {couple},\n\nThank you for visiting {store}. We have a special offer for you: "
        "call {store_phone} or drop by, and ask for {owner}.\n\n{store}",
        "亲爱的{couple}：\n\n感谢您光临{store}，我们为您准备了一份惊喜优惠，"
        "欢迎致电 {store_phone} 或来店找{owner}。\n\n{store}"),
}  # fmt: skip
MANAGER_PERMISSIONS = [
    "view_carerule",
    "change_carerule",
    "add_carerule",
    "view_complaint",
    "change_complaint",
]


def forward(apps, schema_editor):
    CareRule = apps.get_model("followups", "CareRule")
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for key, (channel, marketing, en, zh) in TEMPLATES.items():
        for language, body in (("en", en), ("zh-hans", zh)):
            MessageTemplate.objects.get_or_create(
                key=key,
                language=language,
                defaults={"channel": channel, "marketing": marketing, "body": body},
            )
    for key, trigger, offset, at_time, action, what, description in RULES:
        CareRule.objects.get_or_create(
            key=key,
            defaults={
                "trigger": trigger,
                "offset_minutes": offset,
                "at_time": at_time,
                "action": action,
                "template_key": what if action == "message" else "",
                "call_kind": what if action == "call" else "",
                "script": SCRIPTS.get(key, ""),
                "is_active": key not in SWITCHED_OFF,
                "description": description,
            },
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
    apps.get_model("followups", "CareRule").objects.filter(key__in=[r[0] for r in RULES]).delete()
    apps.get_model("followups", "MessageTemplate").objects.filter(key__in=TEMPLATES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0004_care_rules_and_complaints"),
        ("followups", "0003_visit_not_booked_template_and_dispatch_schedule"),
        ("studio", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forward, backward)]
