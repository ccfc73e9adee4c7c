"""SMS through Tencent Cloud's API 3.0, against a local fake of it: the TC3 signature, the
branch's signature, the template id and its positional parameters, retries, timeouts, and
the messages a dead worker left `sending`, settled by asking for the receipt, never by
sending blindly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import MessageTemplate, OutboxMessage, SmsSignature
from followups.services import dispatch_due_messages, sending_timeout
from followups.tencent import RECEIPT_WAIT, TencentSmsBackend, sign

from .fake_tencent import FakeTencentSms
from .gateway_cases import SIGN_NAME, left_sending, queue_visit_message

TEMPLATE_ID = "1110001"


@pytest.fixture
def gateway(settings, sms_branch):
    template = sms_branch(TEMPLATE_ID)
    fake = FakeTencentSms(
        signatures={SIGN_NAME}, templates={TEMPLATE_ID: len(template.parameter_names())}
    )
    settings.STUDIO_MESSAGE_BACKENDS = {"sms": "followups.tencent.TencentSmsBackend"}
    settings.TENCENT_SMS_ENDPOINT = fake.url
    settings.TENCENTCLOUD_SECRET_ID = fake.secret_id
    settings.TENCENTCLOUD_SECRET_KEY = fake.secret_key
    settings.TENCENT_SMS_SDK_APP_ID = fake.app_id
    settings.TENCENT_SMS_TIMEOUT = 2
    with fake:
        yield fake


def test_the_signer_is_tencents_published_example():
    # cloud.tencent.com/document/api/213/30654: DescribeInstances, GET, Limit=10&Offset=0.
    signature = sign(
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        method="GET",
        host="cvm.tencentcloudapi.com",
        query="Limit=10&Offset=0",
        content_type="application/x-www-form-urlencoded",
        payload="",
        service="cvm",
        timestamp=1539084154,
    )
    assert signature == "5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"


def test_it_sends_the_signature_the_template_id_and_params_in_the_texts_order(customer, gateway):
    message = queue_visit_message(customer)
    assert dispatch_due_messages() == 1
    message.refresh_from_db()
    (record,) = gateway.sent[str(message.pk)]
    assert record["sign_name"] == "幸福影楼静安店" and record["template_id"] == TEMPLATE_ID
    assert record["phone"] == f"+86{customer.bride_phone}"
    template = MessageTemplate.objects.get(key="visit_not_booked", language=customer.language)
    assert record["params"] == [message.params[n] for n in template.parameter_names()]
    assert "李娜" in record["params"]
    assert message.status == OutboxMessage.Status.SENT
    assert message.gateway_id == record["serial"] and message.attempts == 1


def test_a_refusal_is_retried_later_and_sent_once(customer, gateway):
    gateway.fail_next = 1
    message = queue_visit_message(customer)
    now = timezone.now()
    assert dispatch_due_messages(now=now) == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and message.attempts == 1
    assert message.error.startswith("InternalError.Timeout")
    assert dispatch_due_messages(now=now + timedelta(minutes=10)) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and gateway.received(message.pk) == 1


def test_a_template_the_gateway_does_not_know_fails_at_once(customer, gateway):
    MessageTemplate.objects.filter(key="visit_not_booked").update(gateway_template_code="999")
    message = queue_visit_message(customer)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.error.startswith("FailedOperation.TemplateIncorrectOrUnapproved")
    assert gateway.sent == {}


def test_a_signature_the_gateway_does_not_know_fails_at_once(customer, gateway):
    SmsSignature.objects.update(sign_name="别家影楼")
    message = queue_visit_message(customer)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.error.startswith("FailedOperation.SignatureIncorrectOrUnapproved")


def test_a_wrong_secret_key_is_refused_by_the_gateway(customer, gateway, settings):
    settings.TENCENTCLOUD_SECRET_KEY = "not-the-key"
    message = queue_visit_message(customer)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.error.startswith("AuthFailure.SignatureFailure")
    assert gateway.sent == {}


def test_no_key_in_the_environment_sends_nothing(customer, gateway, settings):
    settings.TENCENTCLOUD_SECRET_KEY = ""
    message = queue_visit_message(customer)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and "no Tencent" in message.error
    assert gateway.sent == {} and gateway.refused == []


def test_a_timeout_is_settled_by_the_receipt_and_never_sent_twice(customer, gateway, settings):
    settings.TENCENT_SMS_TIMEOUT = 0.3
    gateway.delay = 1.0  # it takes the message, then answers too late
    message = queue_visit_message(customer)
    now = timezone.now()
    assert dispatch_due_messages(now=now) == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING and message.error
    gateway.delay = 0
    dispatch_due_messages(now=now + sending_timeout() - timedelta(seconds=1))
    assert gateway.queries == 0
    dispatch_due_messages(now=now + sending_timeout() + timedelta(seconds=1))
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and gateway.queries >= 1
    assert message.gateway_id == gateway.sent[str(message.pk)][0]["serial"]
    assert gateway.received(message.pk) == 1


def test_a_message_the_gateway_has_is_recorded_sent_not_sent_again(customer, gateway):
    message = queue_visit_message(customer)
    TencentSmsBackend().send(message)  # the dead worker's call went through
    left_sending(message, ago=sending_timeout() + timedelta(seconds=1))
    assert dispatch_due_messages() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert gateway.received(message.pk) == 1


def test_no_receipt_yet_is_asked_again_then_left_for_a_person(customer, gateway):
    gateway.receipts = False  # taken, but the operator's receipt has not come back
    message = queue_visit_message(customer)
    TencentSmsBackend().send(message)
    left_sending(message, ago=sending_timeout() + timedelta(seconds=1))
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING and "no receipt yet" in message.error
    left_sending(message, ago=RECEIPT_WAIT + timedelta(seconds=1))
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.CHECK
    assert gateway.received(message.pk) == 1  # never blindly sent again


def test_a_gateway_that_cannot_be_asked_leaves_it_sending(customer, gateway, settings):
    settings.TENCENT_SMS_ENDPOINT = "http://127.0.0.1:9/"  # nothing listens there
    message = queue_visit_message(customer)
    left_sending(message, ago=sending_timeout() + timedelta(seconds=1))
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING and "unreachable" in message.error
    assert gateway.sent == {}


def test_a_claim_that_never_called_the_gateway_is_queued_again_without_asking(customer, gateway):
    message = queue_visit_message(customer)
    left_sending(message, ago=sending_timeout() + timedelta(seconds=1), called=False)
    assert dispatch_due_messages() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert gateway.queries == 0 and gateway.received(message.pk) == 1
