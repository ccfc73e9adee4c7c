"""A customer's reply "TD" / "T" / "N" / "退订" withdraws marketing consent for every
customer with that phone, in any branch, recorded with when and where it came from; and
a marketing SMS template must offer the way out ("回T退订")."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from followups.models import InboundReply, MessageTemplate
from followups.receipts import record_opt_out
from studio.models import ConsentEvent
from studio.selectors import has_consent
from studio.services import grant_consent
from tests.factories import BranchFactory, CustomerFactory

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def tokens(settings):
    settings.ALIBABA_SMS_CALLBACK_TOKEN = "ali-secret"
    settings.TENCENT_SMS_CALLBACK_TOKEN = "tc-secret"


def offers(customer, channel="sms"):
    """Whether the customer agrees to offers on `channel` (the consent in force)."""
    return has_consent(customer, purpose="marketing", channel=channel)


@pytest.fixture
def couples(db):
    here = CustomerFactory(bride_phone=PHONE)
    there = CustomerFactory(branch=BranchFactory(code="b2", name="Other"), groom_phone=PHONE)
    stranger = CustomerFactory()
    for customer in (here, there, stranger):
        for channel in ("sms", "wechat"):
            grant_consent(customer, purpose="marketing", channel=channel, source="front_desk")
    return here, there, stranger


@pytest.mark.parametrize("text", ["TD", "t", " T ", "N", "退订", "td"])
def test_an_opt_out_word_withdraws_consent_for_every_customer_of_that_phone(couples, text):
    here, there, stranger = couples
    reply = record_opt_out(PHONE, "sms", text, timezone.now(), provider="alibaba")
    assert not offers(here) and not offers(there)
    assert offers(stranger)
    # Offers by WeChat and greetings are left as the couple set them.
    assert offers(here, "wechat")
    assert reply.opt_out and set(reply.customers.all()) == {here, there}
    latest = ConsentEvent.objects.filter(customer=here).latest("pk")
    assert (latest.granted, latest.channel, latest.source) == (False, "sms", "sms_reply")
    assert latest.recorded_by is None


def test_another_reply_is_kept_and_changes_nothing(couples):
    here, *_ = couples
    reply = record_opt_out(PHONE, "sms", "好的，谢谢", timezone.now(), provider="tencent")
    assert offers(here) and not reply.opt_out
    assert InboundReply.objects.get().text == "好的，谢谢"


def test_the_same_reply_delivered_twice_is_kept_once(couples):
    at = timezone.now()
    first = record_opt_out(PHONE, "sms", "TD", at, provider="alibaba")
    again = record_opt_out(PHONE, "sms", "TD", at, provider="alibaba")
    assert first.pk == again.pk and InboundReply.objects.count() == 1


def test_alibabas_reply_push_withdraws_consent(client, couples):
    here, *_ = couples
    response = client.post(
        "/followups/hooks/alibaba/ali-secret/reply/",
        [{"phone_number": PHONE, "send_time": "2026-12-02 10:00:00", "content": "退订",
          "sign_name": "幸福影楼", "dest_code": "1234", "sequence_id": 1}],
        content_type="application/json",
    )  # fmt: skip
    assert response.json() == {"code": 0, "msg": "成功"}
    assert not offers(here)
    reply = InboundReply.objects.get()
    assert (reply.provider, reply.channel, reply.phone) == ("alibaba", "sms", PHONE)


def test_tencents_reply_callback_withdraws_consent(client, couples):
    here, *_ = couples
    response = client.post(
        "/followups/hooks/tencent/tc-secret/reply/",
        {"extend": "", "mobile": PHONE, "nationcode": "86", "sign": "幸福影楼", "text": "TD",
         "time": 1764640000},
        content_type="application/json",
    )  # fmt: skip
    assert response.json() == {"result": 0, "errmsg": "OK"}
    assert not offers(here)


def test_a_reply_with_a_wrong_token_is_refused(client, couples):
    here, *_ = couples
    response = client.post(
        "/followups/hooks/tencent/guess/reply/",
        {"mobile": PHONE, "text": "TD", "time": 1764640000},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert offers(here) and not InboundReply.objects.exists()


@pytest.mark.parametrize(
    ("language", "body"),
    [("zh-hans", "【{store}】{couple}，新春快乐！"), ("en", "Happy new year, {couple}!")],
)
def test_a_marketing_sms_without_the_opt_out_words_is_refused(db, language, body):
    template = MessageTemplate(
        key="new_offer", language=language, channel="sms", purpose="marketing", body=body
    )
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "A marketing SMS must tell the customer how to stop them" in str(refused.value)
    template.body += "回T退订" if language == "zh-hans" else " Reply T to unsubscribe."
    template.full_clean()


def test_a_service_sms_needs_no_opt_out_words(db):
    MessageTemplate(
        key="confirm", language="en", channel="sms", body="See you, {couple}"
    ).full_clean()


def test_every_seeded_marketing_sms_offers_the_way_out(db):
    for template in MessageTemplate.objects.filter(purpose="marketing", channel="sms"):
        template.full_clean()


def test_the_admin_refuses_a_marketing_sms_without_the_words(admin_client, db):
    template = MessageTemplate.objects.filter(
        purpose="marketing", channel="sms", language="en"
    ).first()
    response = admin_client.post(
        f"/admin/followups/messagetemplate/{template.pk}/change/",
        {"key": template.key, "language": "en", "channel": "sms", "body": "Buy now, {couple}!",
         "purpose": "marketing", "is_active": "on", "gateway_template_code": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Reply T to unsubscribe" in response.text
    template.refresh_from_db()
    assert template.body != "Buy now, {couple}!"
