"""Template messages to couples who follow the studio's WeChat Official Account, against a
local fake of WeChat's API: the OpenID, the template and its fields, the access token
(cached, fetched again when WeChat says it expired), refusals and couples without one."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from followups.models import MessageTemplate, OutboxMessage, WeChatTemplate
from followups.services import dispatch_due_messages, queue_message, sending_timeout
from followups.wechat import WeChatTemplateBackend, token_key
from tests.factories import CustomerFactory

from .fake_wechat import FakeWeChat
from .test_celery_dispatch import _daytime_zone

OPENID = "oLVPpjqs9BhvzwPj5A-vTYAX3GLc"
TEMPLATE_ID = "ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY"


@pytest.fixture
def wechat(settings, branch):
    branch.timezone = _daytime_zone()
    branch.save()
    for language, body in (("zh-hans", "{couple}，{store}祝你们周年快乐！"), ("en", "Happy anniversary, {couple}! {store}")):  # fmt: skip
        MessageTemplate.objects.create(
            key="anniversary_wechat", language=language, channel="wechat", body=body
        )
        WeChatTemplate.objects.create(
            template_key="anniversary_wechat",
            language=language,
            template_id=TEMPLATE_ID,
            fields={"thing1": "couple", "thing2": "store"},
        )
    fake = FakeWeChat(templates={TEMPLATE_ID: {"thing1", "thing2"}}, followers={OPENID})
    settings.STUDIO_MESSAGE_BACKENDS = {"wechat": "followups.wechat.WeChatTemplateBackend"}
    settings.WECHAT_API_BASE = fake.url
    settings.WECHAT_APP_ID = fake.app_id
    settings.WECHAT_APP_SECRET = fake.secret
    settings.WECHAT_TIMEOUT = 2
    cache.delete(token_key(fake.app_id))
    with fake:
        yield fake
    cache.delete(token_key(fake.app_id))


def _queue(branch, *, openid=OPENID, occasion="o:1"):
    return queue_message(
        customer=CustomerFactory(branch=branch, language="zh-hans", wechat_openid=openid),
        key="anniversary_wechat",
        occasion=occasion,
        context={},
        send_after=timezone.now() - timedelta(minutes=1),
    )


def test_it_sends_the_template_to_the_couples_openid(branch, wechat):
    message = _queue(branch)
    assert dispatch_due_messages() == 1
    message.refresh_from_db()
    (record,) = wechat.sent[f"studio-{message.pk}"]
    assert record["touser"] == OPENID and record["template_id"] == TEMPLATE_ID
    assert record["data"] == {
        "thing1": {"value": str(message.customer)},
        "thing2": {"value": branch.name},
    }
    assert message.status == OutboxMessage.Status.SENT
    assert message.gateway_id == str(record["msgid"])


def test_the_access_token_is_fetched_once_and_kept_in_the_cache(branch, wechat):
    _queue(branch, occasion="o:1")
    _queue(branch, occasion="o:2")
    assert dispatch_due_messages() == 2
    assert wechat.tokens_issued == 1
    assert cache.get(token_key(wechat.app_id)) in wechat.tokens


def test_an_expired_token_is_fetched_again_and_the_message_sent_once(branch, wechat):
    WeChatTemplateBackend().access_token()
    wechat.expire_tokens()  # WeChat forgot it (42001)
    message = _queue(branch)
    assert dispatch_due_messages() == 1
    assert wechat.tokens_issued == 2 and wechat.received(message.pk) == 1


def test_a_couple_without_an_openid_is_recorded_as_not_sent(branch, wechat):
    message = _queue(branch, openid="")
    assert message.status == OutboxMessage.Status.SKIPPED
    assert message.skip_reason == OutboxMessage.SkipReason.NO_OPENID
    assert dispatch_due_messages() == 0 and wechat.sent == {}


def test_a_refusal_is_retried_later(branch, wechat):
    wechat.fail_next = 1
    message = _queue(branch)
    now = timezone.now()
    dispatch_due_messages(now=now)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and message.error.startswith("-1")
    assert dispatch_due_messages(now=now + timedelta(minutes=10)) == 1
    assert wechat.received(message.pk) == 1


def test_a_couple_who_unfollowed_fails_at_once(branch, wechat):
    message = _queue(branch, openid="o" + "x" * 27)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.error.startswith("43004")


def test_a_template_without_a_wechat_template_fails_at_once(branch, wechat):
    WeChatTemplate.objects.all().delete()
    message = _queue(branch)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and "no WeChat template" in message.error


def test_a_wrong_app_secret_sends_nothing(branch, wechat, settings):
    settings.WECHAT_APP_SECRET = "wrong"
    message = _queue(branch)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and "40125" in message.error
    assert wechat.sent == {}


def test_a_message_in_doubt_is_left_for_a_person(branch, wechat, settings):
    settings.WECHAT_TIMEOUT = 0.3
    wechat.delay = 1.0
    message = _queue(branch)
    now = timezone.now()
    dispatch_due_messages(now=now)
    wechat.delay = 0
    dispatch_due_messages(now=now + sending_timeout() + timedelta(seconds=1))
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.CHECK
    assert wechat.received(message.pk) == 1


# --- the OpenID on the customer file ---


def _edit(customer, **changes):
    data = {
        "bride_name": customer.bride_name,
        "bride_phone": customer.bride_phone,
        "groom_name": customer.groom_name,
        "groom_phone": customer.groom_phone,
        "language": customer.language,
    }
    return data | changes


def test_staff_record_the_openid_on_the_customer_file(login, receptionist, customer):
    url = reverse("studio:customer_edit", args=[customer.pk])
    response = login(receptionist).post(url, _edit(customer, wechat_openid=OPENID))
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.wechat_openid == OPENID
    assert customer.history.first().history_user == receptionist.user


@pytest.mark.parametrize("bad", ["oLVPpjqs9Bhv", OPENID + "x", "oLVPpjqs9BhvzwPj5A vTYAX3GLc", "<b>oLVPpjqs9BhvzwPj5A-vTYAX3</b>"])  # fmt: skip
def test_a_malformed_openid_is_refused_and_nothing_saved(login, receptionist, customer, bad):
    url = reverse("studio:customer_edit", args=[customer.pk])
    response = login(receptionist).post(url, _edit(customer, wechat_openid=bad))
    assert response.status_code == 400
    assert "A WeChat OpenID is 28 letters" in response.text
    customer.refresh_from_db()
    assert customer.wechat_openid == ""


def test_the_openid_field_shows_in_chinese(login, receptionist, customer):
    url = reverse("studio:customer_edit", args=[customer.pk])
    response = login(receptionist).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "微信 OpenID" in response.text
