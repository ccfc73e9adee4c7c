"""Queuing a message: once per customer and occasion, from the manager's template, in the
customer's language, with consent for offers and greetings."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from followups.models import MessageTemplate, OutboxMessage
from followups.services import queue_message
from tests.factories import give_consent

NOON = timezone.make_aware(timezone.datetime(2026, 6, 1, 12, 0))


@pytest.fixture
def store_phone(branch):
    branch.phone = "021-6666 8888"
    branch.save()
    return branch.phone


def _queue(customer, key="visit_not_booked", occasion="o:1", **context):
    return queue_message(
        customer=customer,
        key=key,
        occasion=occasion,
        context={"taker": "Li Na", **context},
        send_after=NOON,
    )


def test_it_queues_the_thank_you_in_the_customers_language(customer, store_phone, receptionist):
    message = _queue(customer)
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.channel == "sms"
    assert message.to == customer.bride_phone
    assert message.send_after == NOON
    assert customer.language == "zh-hans"
    assert "门市Li Na" in message.body and store_phone in message.body
    assert str(customer) in message.body
    assert receptionist.personal_phone not in message.body


def test_an_english_speaking_couple_gets_it_in_english(customer, store_phone):
    customer.language = "en"
    customer.save()
    body = _queue(customer).body
    assert "This is Li Na" in body and f"call the store on {store_phone}" in body


def test_queuing_the_same_occasion_twice_makes_one_message(customer):
    first = _queue(customer)
    again = _queue(customer)
    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1


def test_the_same_occasion_for_another_couple_is_another_message(customer, branch):
    from tests.factories import CustomerFactory

    _queue(customer)
    _queue(CustomerFactory(branch=branch))
    assert OutboxMessage.objects.count() == 2


@pytest.fixture
def offer():
    return MessageTemplate.objects.create(
        key="special_offer",
        language="zh-hans",
        channel="sms",
        body="{couple}：本月签约立减 500 元，详询 {store_phone}",
        purpose="marketing",
    )


def test_marketing_is_not_sent_without_consent(customer, offer):
    message = _queue(customer, key="special_offer")
    assert message.status == OutboxMessage.Status.SKIPPED
    assert message.skip_reason == OutboxMessage.SkipReason.NO_CONSENT
    assert message.purpose == "marketing" and message.body == ""


def test_marketing_is_sent_with_consent(customer, offer):
    give_consent(customer, purposes=["marketing"], channels=["sms"])
    message = _queue(customer, key="special_offer")
    assert message.status == OutboxMessage.Status.QUEUED
    assert "立减 500 元" in message.body


def test_a_service_message_needs_no_consent(customer):
    assert not customer.consent_events.exists()
    assert _queue(customer).status == OutboxMessage.Status.QUEUED


def test_a_switched_off_template_sends_nothing_and_says_why(customer):
    MessageTemplate.objects.filter(key="visit_not_booked").update(is_active=False)
    message = _queue(customer)
    assert message.status == OutboxMessage.Status.SKIPPED
    assert message.skip_reason == OutboxMessage.SkipReason.NO_TEMPLATE


def test_without_a_text_in_the_customers_language_nothing_is_sent_and_it_says_why(customer):
    """A Chinese couple never gets the English text instead (issue 12, item 4)."""
    MessageTemplate.objects.filter(key="visit_not_booked", language="zh-hans").delete()
    message = _queue(customer)
    assert message.body == ""
    assert message.status == OutboxMessage.Status.SKIPPED
    assert message.skip_reason == OutboxMessage.SkipReason.NO_LANGUAGE


def test_a_wechat_message_to_a_couple_without_an_openid_is_not_sent(customer):
    MessageTemplate.objects.create(
        key="greeting", language="zh-hans", channel="wechat", body="{couple}，早上好"
    )
    message = _queue(customer, key="greeting")
    assert message.status == OutboxMessage.Status.SKIPPED
    assert message.skip_reason == OutboxMessage.SkipReason.NO_OPENID


def test_a_template_with_an_unknown_placeholder_is_not_sent(customer):
    MessageTemplate.objects.filter(key="visit_not_booked").update(body="{couple.__class__}")
    message = _queue(customer)
    assert message.status == OutboxMessage.Status.SKIPPED
    assert message.skip_reason == OutboxMessage.SkipReason.BAD_TEMPLATE


@pytest.mark.parametrize(
    "body", ["{personal_phone}", "{couple.__class__}", "{couple:>999}", "{couple", "}"]
)
def test_the_admin_refuses_placeholders_we_do_not_know(db, body):
    template = MessageTemplate(key="x", language="en", channel="sms", body=body)
    with pytest.raises(ValidationError) as exc:
        template.full_clean()
    assert "body" in exc.value.message_dict


def test_the_not_booked_templates_ship_in_both_languages(db):
    templates = MessageTemplate.objects.filter(key="visit_not_booked", is_active=True)
    assert {t.language for t in templates} == {"en", "zh-hans"}
    for t in templates:
        t.full_clean()
        assert t.purpose == "service" and "{taker}" in t.body and "{store_phone}" in t.body


def test_send_after_defaults_to_now_outside_the_night(customer):
    from followups.services import outside_quiet_hours

    before = outside_quiet_hours(timezone.now(), branch=customer.branch, channel="sms")
    message = queue_message(customer=customer, key="visit_not_booked", occasion="x", context={})
    after = outside_quiet_hours(timezone.now(), branch=customer.branch, channel="sms")
    assert before <= message.send_after <= after
