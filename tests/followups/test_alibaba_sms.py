"""SMS through Alibaba Cloud's API, against a local fake of it: the branch's signature, the
template's code and named parameters, retries, timeouts, and the messages a dead worker
left `sending`, settled by asking the gateway, never by sending blindly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.alibaba import AlibabaSmsBackend, sign
from followups.models import MessageTemplate, OutboxMessage, SmsSignature
from followups.services import dispatch_due_messages, sending_timeout

from . import backends
from .fake_alibaba import FakeAlibabaSms
from .gateway_cases import SIGN_NAME, left_sending, queue_visit_message

CODE = "SMS_153055065"
PARAMS = {"couple", "store", "taker", "store_phone"}


@pytest.fixture
def gateway(settings, sms_branch):
    sms_branch(CODE)
    fake = FakeAlibabaSms(signatures={SIGN_NAME}, templates={CODE: PARAMS})
    settings.STUDIO_MESSAGE_BACKENDS = {"sms": "followups.alibaba.AlibabaSmsBackend"}
    settings.ALIBABA_SMS_ENDPOINT = fake.url
    settings.ALIBABA_CLOUD_ACCESS_KEY_ID = fake.key_id
    settings.ALIBABA_CLOUD_ACCESS_KEY_SECRET = fake.secret
    settings.ALIBABA_SMS_TIMEOUT = 2
    with fake:
        yield fake


def test_the_signature_is_alibabas_published_example():
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert sign(params, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_it_sends_the_branch_signature_the_template_code_and_named_params(customer, gateway):
    message = queue_visit_message(customer)
    assert dispatch_due_messages() == 1
    message.refresh_from_db()
    (record,) = gateway.sent[str(message.pk)]
    assert record["sign_name"] == "幸福影楼静安店" and record["template_code"] == CODE
    assert record["phone"] == customer.bride_phone
    assert record["params"] == message.params
    assert record["params"]["taker"] == "李娜" and set(record["params"]) == PARAMS
    assert message.status == OutboxMessage.Status.SENT
    assert message.gateway_id == record["biz_id"] and message.attempts == 1


def test_a_refusal_is_retried_later_and_sent_once(customer, gateway):
    gateway.fail_next = 1
    message = queue_visit_message(customer)
    now = timezone.now()
    assert dispatch_due_messages(now=now) == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and message.attempts == 1
    assert message.error.startswith("isp.SYSTEM_ERROR")
    assert dispatch_due_messages(now=now + timedelta(minutes=9)) == 0  # not yet
    assert dispatch_due_messages(now=now + timedelta(minutes=10)) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2
    assert gateway.received(message.pk) == 1


def test_a_template_the_gateway_does_not_know_fails_at_once(customer, gateway):
    MessageTemplate.objects.filter(key="visit_not_booked").update(gateway_template_code="SMS_0")
    message = queue_visit_message(customer)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 1
    assert message.error.startswith("isv.SMS_TEMPLATE_ILLEGAL")
    assert gateway.sent == {}


def test_a_branch_without_a_signature_sends_nothing(customer, gateway):
    SmsSignature.objects.all().delete()
    message = queue_visit_message(customer)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "no SMS signature" in message.error
    assert gateway.sent == {} and gateway.refused == []


def test_a_wrong_secret_is_refused_by_the_gateway(customer, gateway, settings):
    settings.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "not-the-secret"
    message = queue_visit_message(customer)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.error.startswith("SignatureDoesNotMatch")
    assert gateway.sent == {}


def test_a_timeout_is_settled_by_asking_and_never_sent_twice(customer, gateway, settings):
    settings.ALIBABA_SMS_TIMEOUT = 0.3
    gateway.delay = 1.0  # it takes the message, then answers too late
    message = queue_visit_message(customer)
    now = timezone.now()
    assert dispatch_due_messages(now=now) == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING and message.error
    gateway.delay = 0
    # Within the sending timeout nobody touches it: its call might still be under way.
    dispatch_due_messages(now=now + sending_timeout() - timedelta(seconds=1))
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING and gateway.queries == 0
    dispatch_due_messages(now=now + sending_timeout() + timedelta(seconds=1))
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and gateway.queries >= 1
    assert gateway.received(message.pk) == 1


def test_a_message_the_gateway_has_is_recorded_sent_not_sent_again(customer, gateway):
    message = queue_visit_message(customer)
    AlibabaSmsBackend().send(message)  # the dead worker's call went through
    left_sending(message, ago=sending_timeout() + timedelta(seconds=1))
    assert dispatch_due_messages() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert gateway.received(message.pk) == 1


def test_a_message_the_gateway_never_got_is_queued_again_and_sent_once(customer, gateway):
    message = left_sending(
        queue_visit_message(customer), ago=sending_timeout() + timedelta(seconds=1)
    )
    assert dispatch_due_messages() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert gateway.received(message.pk) == 1


def test_a_claim_younger_than_the_timeout_is_left_alone(customer, gateway):
    message = left_sending(
        queue_visit_message(customer), ago=sending_timeout() - timedelta(seconds=5)
    )
    assert dispatch_due_messages() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING and message.claimed_by == "dead-worker"
    assert gateway.queries == 0 and gateway.sent == {}


def test_a_gateway_that_cannot_be_asked_leaves_it_sending(customer, gateway, settings):
    settings.ALIBABA_SMS_ENDPOINT = "http://127.0.0.1:9/"  # nothing listens there
    message = left_sending(
        queue_visit_message(customer), ago=sending_timeout() + timedelta(seconds=1)
    )
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING
    assert "unreachable" in message.error
    settings.ALIBABA_SMS_ENDPOINT = gateway.url
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and gateway.received(message.pk) == 1


def test_a_backend_that_cannot_tell_flags_it_for_a_person(customer, outbox):
    message = left_sending(
        queue_visit_message(customer), ago=sending_timeout() + timedelta(seconds=1)
    )
    dispatch_due_messages()
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.CHECK
    assert outbox == []
    assert backends.outbox == []


def test_the_admin_lists_the_messages_to_check(admin_client, customer, outbox):
    message = left_sending(
        queue_visit_message(customer), ago=sending_timeout() + timedelta(seconds=1)
    )
    dispatch_due_messages()
    response = admin_client.get("/admin/followups/outboxmessage/?status__exact=check")
    assert response.status_code == 200
    assert "Sent or not? Check with the gateway" in response.text
    assert f"/admin/followups/outboxmessage/{message.pk}/" in response.text


def test_a_claim_that_never_called_the_gateway_is_queued_again_without_asking(customer, gateway):
    message = queue_visit_message(customer)
    left_sending(message, ago=sending_timeout() + timedelta(seconds=1), called=False)
    assert dispatch_due_messages() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert gateway.queries == 0 and gateway.received(message.pk) == 1
