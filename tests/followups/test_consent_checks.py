"""What a message needs before it goes (PIPL): an offer needs marketing consent on its
channel, a greeting care consent, a service notice none; a consent withdrawn after the
message was queued stops it at sending."""

from datetime import datetime

import pytest
from django.utils import timezone

from followups.models import MessageTemplate, OutboxMessage
from followups.services import dispatch_due_messages, queue_message
from studio.models import ConsentEvent
from studio.services import withdraw_consent
from tests.factories import CustomerFactory, give_consent

NOON = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_default_timezone())
Status, Skip = OutboxMessage.Status, OutboxMessage.SkipReason


def _template(key, purpose, channel="sms"):
    for language in ("en", "zh-hans"):
        MessageTemplate.objects.create(
            key=key, language=language, channel=channel, purpose=purpose, body="{couple}"
        )


@pytest.fixture
def offer(db):
    _template("summer_offer", "marketing")


@pytest.fixture
def greeting(db):
    _template("spring_greeting", "care")


def _queue(customer, key, occasion="o:1"):
    return queue_message(customer=customer, key=key, occasion=occasion, context={}, send_after=NOON)


def test_an_offer_needs_marketing_consent_on_its_channel(customer, offer):
    give_consent(customer, purposes=["marketing"], channels=["wechat", "call"])
    give_consent(customer, purposes=["care"], channels=["sms"])
    skipped = _queue(customer, "summer_offer")
    assert (skipped.status, skipped.skip_reason) == (Status.SKIPPED, Skip.NO_CONSENT)
    give_consent(customer, purposes=["marketing"], channels=["sms"])
    assert _queue(customer, "summer_offer", occasion="o:2").status == Status.QUEUED


def test_a_greeting_needs_care_consent_not_marketing(customer, greeting):
    give_consent(customer, purposes=["marketing"])
    assert _queue(customer, "spring_greeting").skip_reason == Skip.NO_CONSENT
    give_consent(customer, purposes=["care"], channels=["sms"])
    message = _queue(customer, "spring_greeting", occasion="o:2")
    assert (message.status, message.purpose) == (Status.QUEUED, "care")


def test_a_service_notice_needs_no_consent_even_after_a_withdrawal(customer):
    give_consent(customer, granted=False)
    message = _queue(customer, "visit_not_booked")
    assert (message.status, message.purpose) == (Status.QUEUED, "service")


def test_a_consent_withdrawn_after_queuing_stops_the_message_at_sending(customer, offer, outbox):
    give_consent(customer, purposes=["marketing"], channels=["sms"])
    message = _queue(customer, "summer_offer")
    assert message.status == Status.QUEUED
    withdraw_consent(
        customer, purpose="marketing", channel="sms", source=ConsentEvent.Source.SMS_REPLY
    )
    assert dispatch_due_messages(now=NOON) == 0
    message.refresh_from_db()
    assert (message.status, message.skip_reason) == (Status.SKIPPED, Skip.NO_CONSENT)
    assert outbox == []


def test_the_dispatcher_checks_a_batch_of_consents_in_constant_queries(
    branch, offer, outbox, django_assert_max_num_queries
):
    customers = [CustomerFactory(branch=branch) for _ in range(8)]
    for c in customers:
        give_consent(c, purposes=["marketing"], channels=["sms"])
    for i, c in enumerate(customers):
        _queue(c, "summer_offer", occasion=f"o:{i}")
    for c in customers[::2]:
        withdraw_consent(c, purpose="marketing", channel="sms", source=ConsentEvent.Source.WECHAT)
    with django_assert_max_num_queries(30):
        assert dispatch_due_messages(now=NOON) == 4


def test_the_seeded_templates_carry_the_purpose_of_what_they_say(db):
    purposes = dict(MessageTemplate.objects.filter(language="en").values_list("key", "purpose"))
    assert purposes["birthday_greeting"] == purposes["holiday_mid_autumn"] == "care"
    assert purposes["anniversary_greeting"] == purposes["shoot_greeting"] == "care"
    assert purposes["no_shoot_offer_15"] == purposes["vip_greeting"] == "marketing"
    assert purposes["call_failed_offer"] == "marketing"
    assert purposes["deposit_thanks"] == purposes["pickup_notice"] == "service"
