"""What a customer receives (issue 12, item 4): in their language only, with the branch's
and the staff member's names for customers, and the variant for the recipient's gender."""

import re

import pytest
from django.utils import timezone

from followups.models import Channel, MessageTemplate, OutboxMessage
from followups.services import queue_message, template_for
from studio.models import Gender
from tests.factories import give_consent

NOON = timezone.make_aware(timezone.datetime(2026, 6, 1, 12, 0))
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Latin words a Chinese text may carry: the SMS opt-out and acronyms the studio uses.
LATIN_IN_CHINESE = {"VIP", "T", "TD"}


@pytest.fixture
def xuhui(branch):
    branch.name = "徐汇店 Xuhui Store"
    branch.customer_name_zh = "徐汇店"
    branch.customer_name_en = "Xuhui Store"
    branch.phone = "021-6433 0002"
    branch.save()
    return branch


@pytest.fixture
def xiao_li(receptionist):
    receptionist.display_name = "前台 李娜 Li Na"
    receptionist.customer_name_zh = "小李"
    receptionist.customer_name_en = "Lily"
    receptionist.save()
    return receptionist


def _couple(customer, language):
    chinese = language == "zh-hans"
    customer.bride_name = "李娜" if chinese else "Anna"
    customer.groom_name = "王伟" if chinese else "Tom"
    customer.language = language
    customer.wechat = "wx_1"
    customer.address = "衡山路 88 号" if chinese else "88 Hengshan Road"
    customer.save()
    give_consent(customer)
    return customer


def _queue(customer, key, occasion="o:1", **context):
    return queue_message(
        customer=customer, key=key, occasion=occasion, context=context, send_after=NOON
    )


def _other_language_in(text, language):
    if language == "en":
        return CJK.findall(text)
    return [w for w in re.findall(r"[A-Za-z]+", text) if w not in LATIN_IN_CHINESE]


def _variants():
    rows = MessageTemplate.objects.filter(branch__isnull=True)
    return sorted(set(rows.values_list("key", "gender")))


@pytest.mark.django_db
def test_every_seeded_template_and_variant_reaches_the_customer_in_their_language_only(
    customer, xuhui, xiao_li
):
    """Every seeded template, in both languages, for every gender variant, queued as a
    care rule queues it: every placeholder filled, nothing of the other language (the
    bilingual labels staff see included), the variant meant for that recipient."""
    variants = _variants()
    assert ("shoot_greeting", "female") in variants and ("shoot_greeting", "male") in variants
    problems = []
    for n, (key, gender) in enumerate(variants):
        for language in ("en", "zh-hans"):
            _couple(customer, language)
            customer.bride_gender = gender
            customer.save()
            message = _queue(customer, key, f"o:{n}:{language}", owner=xiao_li, taker=xiao_li)
            wanted = template_for(key, branch=xuhui, language=language, gender=gender)
            where = (key, gender, language)
            if wanted is None or message.status != OutboxMessage.Status.QUEUED:
                problems.append((*where, "not queued", message.skip_reason))
                continue
            if wanted.gender != gender:
                problems.append((*where, "variant", wanted.gender))
            body = message.body
            if not body.strip() or "{" in body or "}" in body:
                problems.append((*where, "placeholder", body))
            if _other_language_in(body, language):
                problems.append((*where, "other language", body))
            if "{store}" in wanted.body and xuhui.name_for_customer(language) not in body:
                problems.append((*where, "store name", body))
            if xuhui.name in body or xiao_li.display_name in body:
                problems.append((*where, "staff's label", body))
            for name in ("owner", "taker"):
                if f"{{{name}}}" in wanted.body and xiao_li.name_for_customer(language) not in body:
                    problems.append((*where, name, body))
    assert problems == []


def test_the_branch_and_the_staff_member_are_named_as_customers_know_them(customer, xuhui, xiao_li):
    _couple(customer, "zh-hans")
    body = _queue(customer, "visit_not_booked", taker=xiao_li).body
    assert "【徐汇店】" in body and "门市小李" in body
    assert "Xuhui" not in body and "Li Na" not in body and "前台" not in body

    _couple(customer, "en")
    body = _queue(customer, "visit_not_booked", "o:2", taker=xiao_li).body
    assert "Xuhui Store" in body and "This is Lily" in body
    assert "徐汇店" not in body and "小李" not in body


def test_without_names_for_customers_the_branchs_and_staffs_names_are_used(
    customer, branch, receptionist
):
    body = _queue(customer, "visit_not_booked", taker=receptionist).body
    assert branch.name in body and receptionist.display_name in body


@pytest.mark.parametrize(
    "bride, groom, bride_phone, gender",
    [
        (Gender.FEMALE, Gender.MALE, True, Gender.FEMALE),  # the SMS goes to the bride
        (Gender.FEMALE, Gender.MALE, False, Gender.MALE),  # only the groom has a phone
        ("", Gender.MALE, True, ""),  # the bride did not say: the neutral text
        (Gender.MALE, "", True, Gender.MALE),  # the "bride" field is a person, any gender
    ],
)
def test_the_variant_for_the_recipients_gender_is_chosen_else_the_neutral_one(
    customer, xuhui, bride, groom, bride_phone, gender
):
    _couple(customer, "zh-hans")
    customer.bride_gender, customer.groom_gender = bride, groom
    if not bride_phone:
        customer.bride_phone = ""
    customer.save()
    message = _queue(customer, "shoot_greeting")
    assert message.to == customer.phones[0]
    assert message.body == MessageTemplate.objects.get(
        key="shoot_greeting", language="zh-hans", gender=gender, branch__isnull=True
    ).render({"couple": str(customer), "store": "徐汇店", "store_phone": xuhui.phone})


def test_a_message_to_the_couple_gets_the_neutral_text(customer, xuhui):
    """WeChat reaches the couple's account, not one person: the neutral words."""
    _couple(customer, "zh-hans")
    customer.bride_gender = Gender.FEMALE
    customer.wechat_openid = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
    customer.save()
    MessageTemplate.objects.filter(key="shoot_greeting").update(channel=Channel.WECHAT)
    message = _queue(customer, "shoot_greeting")
    assert message.channel == Channel.WECHAT
    assert "最美丽的新娘" not in message.body and "早上好" in message.body


def test_a_variant_without_a_neutral_text_falls_back_to_the_neutral_one_of_the_chain(
    customer, xuhui
):
    _couple(customer, "zh-hans")
    customer.bride_gender = Gender.MALE
    customer.save()
    MessageTemplate.objects.filter(key="shoot_greeting", gender=Gender.MALE).delete()
    message = _queue(customer, "shoot_greeting")
    assert message.body.startswith("【徐汇店】")
    assert "最美丽的新娘" not in message.body and "尊贵的好朋友" not in message.body
