"""The gateways' delivery receipts mark a message delivered or not delivered, once; they
are reached without a login but only with each provider's secret token (and, for WeChat,
its signature); unknown ids are ignored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.hooks import wechat_signature
from followups.models import OutboxMessage

ALIBABA, TENCENT, WECHAT_URL, ACCOUNT = "ali-secret", "tc-secret", "wx-url-secret", "wx-token"
OPENID = "oLVPpjqs9BhvzwPj5A-vTYAX3GLc"


@pytest.fixture(autouse=True)
def tokens(settings):
    settings.ALIBABA_SMS_CALLBACK_TOKEN = ALIBABA
    settings.TENCENT_SMS_CALLBACK_TOKEN = TENCENT
    settings.WECHAT_CALLBACK_TOKEN = WECHAT_URL
    settings.WECHAT_TOKEN = ACCOUNT


def _sent(customer, *, channel="sms", gateway_id="", status=OutboxMessage.Status.SENT, n=1):
    return OutboxMessage.objects.create(
        branch=customer.branch,
        customer=customer,
        channel=channel,
        to=OPENID if channel == "wechat" else customer.bride_phone,
        template_key="visit_not_booked",
        occasion=f"o:{n}",
        status=status,
        send_after=timezone.now() - timedelta(minutes=5),
        sent_at=timezone.now() - timedelta(minutes=1) if status == "sent" else None,
        gateway_id=gateway_id,
    )


def _alibaba(client, message, *, success=True, token=ALIBABA):
    return client.post(
        f"/followups/hooks/alibaba/{token}/report/",
        [{"phone_number": message.to, "send_time": "2026-12-02 10:00:00",
          "report_time": "2026-12-02 10:00:05", "success": success,
          "err_code": "DELIVERED" if success else "MK:0001", "err_msg": "用户接收成功",
          "sms_size": "1", "biz_id": "9^1", "out_id": str(message.pk)}],
        content_type="application/json",
    )  # fmt: skip


def _tencent(client, sid, *, status="SUCCESS", token=TENCENT):
    return client.post(
        f"/followups/hooks/tencent/{token}/status/",
        [{"user_receive_time": "2026-12-02 10:00:05", "nationcode": "86",
          "mobile": "13800000000", "report_status": status, "errmsg": "DELIVRD",
          "description": "用户短信送达成功", "sid": sid}],
        content_type="application/json",
    )  # fmt: skip


def _wechat(client, msg_id, *, status="success", token=WECHAT_URL, account=ACCOUNT):
    timestamp, nonce = "1764640000", "12345"
    signature = wechat_signature(account, timestamp, nonce)
    body = (
        f"<xml><ToUserName><![CDATA[gh_studio]]></ToUserName>"
        f"<FromUserName><![CDATA[{OPENID}]]></FromUserName><CreateTime>1764640000</CreateTime>"
        f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>"
        f"<MsgID>{msg_id}</MsgID><Status><![CDATA[{status}]]></Status></xml>"
    )
    return client.post(
        f"/followups/hooks/wechat/{token}/?signature={signature}&timestamp={timestamp}&nonce={nonce}",
        body,
        content_type="text/xml",
    )


def test_an_alibaba_receipt_marks_the_message_delivered(client, customer):
    message = _sent(customer)
    response = _alibaba(client, message)
    assert response.status_code == 200 and response.json() == {"code": 0, "msg": "成功"}
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED
    assert message.delivered_at is not None and "DELIVERED" in message.receipt


def test_an_alibaba_failure_marks_it_not_delivered(client, customer):
    message = _sent(customer)
    _alibaba(client, message, success=False)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.UNDELIVERED and "MK:0001" in message.receipt


def test_a_receipt_is_applied_once(client, customer):
    message = _sent(customer)
    _alibaba(client, message, success=True)
    _alibaba(client, message, success=False)  # repeated, or late and contradicting
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED


def test_a_receipt_settles_a_message_we_were_unsure_of(client, customer):
    message = _sent(customer, status=OutboxMessage.Status.CHECK)
    _alibaba(client, message)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED


def test_a_tencent_receipt_finds_the_message_by_its_serial_number(client, customer):
    message = _sent(customer, gateway_id="2433:123")
    response = _tencent(client, "2433:123", status="FAIL")
    assert response.json() == {"result": 0, "errmsg": "OK"}
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.UNDELIVERED


def test_a_wechat_event_marks_the_template_message(client, customer):
    message = _sent(customer, channel="wechat", gateway_id="200163836")
    response = _wechat(client, "200163836")
    assert response.status_code == 200 and response.content == b"success"
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED


def test_wechat_checks_the_address_with_an_echo(client):
    signature = wechat_signature(ACCOUNT, "1", "2")
    url = f"/followups/hooks/wechat/{WECHAT_URL}/?signature={signature}&timestamp=1&nonce=2"
    assert client.get(url + "&echostr=hello").content == b"hello"


def test_unknown_ids_are_ignored(client, customer):
    message = _sent(customer, gateway_id="2433:1")
    assert _tencent(client, "2433:999").status_code == 200
    assert _wechat(client, "777").status_code == 200
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_garbage_is_ignored_without_an_error(client, customer):
    for body in ("not json", '{"a": 1}', "[1, 2]", '[{"out_id": "x"}]'):
        response = client.post(
            f"/followups/hooks/alibaba/{ALIBABA}/report/", body, content_type="application/json"
        )
        assert response.status_code == 200


def test_a_wrong_token_is_refused(client, customer):
    message = _sent(customer, gateway_id="2433:1")
    assert _alibaba(client, message, token="guess").status_code == 404
    assert _tencent(client, "2433:1", token=ALIBABA).status_code == 404
    assert _wechat(client, "1", token="guess").status_code == 404
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_no_token_configured_refuses_everything(client, customer, settings):
    settings.ALIBABA_SMS_CALLBACK_TOKEN = ""
    message = _sent(customer)
    assert _alibaba(client, message, token="").status_code == 404
    assert client.post("/followups/hooks/alibaba//report/").status_code == 404


def test_a_wrong_wechat_signature_is_refused(client, customer):
    message = _sent(customer, channel="wechat", gateway_id="5")
    assert _wechat(client, "5", account="not-the-token").status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_the_callbacks_take_only_post(client):
    assert client.get(f"/followups/hooks/alibaba/{ALIBABA}/report/").status_code == 405
    assert client.get(f"/followups/hooks/tencent/{TENCENT}/status/").status_code == 405
