"""A message's history on the customer's file (issue 12, item 7): queued, then sent,
failed or not sent with the reason; only for the roles that may read messages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import MessageTemplate, OutboxMessage
from followups.selectors import message_steps
from followups.services import dispatch_due_messages, queue_message
from studio import roles


def _queue(customer, occasion="o:1"):
    return queue_message(
        customer=customer, key="visit_not_booked", occasion=occasion, context={"taker": "Li"}
    )


def _whats(message):
    message.refresh_from_db()
    return [step.what for step in message_steps(message)]


def test_a_sent_message_was_queued_then_sent(customer, outbox):
    message = _queue(customer)
    dispatch_due_messages(now=timezone.now().replace(hour=4) + timedelta(hours=1))
    message.refresh_from_db()
    if message.status != OutboxMessage.Status.SENT:  # the run fell in quiet hours
        dispatch_due_messages(now=message.send_after)
    assert _whats(message) == ["Put in the queue", "Sent"]


def test_a_message_not_sent_says_why(customer):
    MessageTemplate.objects.filter(key="visit_not_booked").update(is_active=False)
    message = _queue(customer)
    assert _whats(message) == ["Put in the queue", "Not sent: The template is switched off"]


def test_a_failed_message_says_after_how_many_attempts(customer):
    message = _queue(customer)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED, attempts=5, error="isv.BUSINESS_LIMIT_CONTROL"
    )
    assert _whats(message)[-1] == "Failed after 5 attempts: isv.BUSINESS_LIMIT_CONTROL"


def test_a_delivery_receipt_is_the_last_step_when_known(customer):
    message = _queue(customer)
    message.sent_at = message.delivered_at = timezone.now()
    assert [s.what for s in message_steps(message)][-2:] == ["Sent", "Delivered to the phone"]


def _file(client, customer):
    return client.get(reverse("overview:customer", args=[customer.pk])).content.decode()


@pytest.mark.parametrize("role", sorted(roles.SEES_MESSAGES))
def test_the_roles_that_read_messages_see_the_history_on_the_file(
    login, make_staff, customer, role
):
    MessageTemplate.objects.filter(key="visit_not_booked").update(is_active=False)
    _queue(customer)
    body = _file(login(make_staff(role)), customer)
    assert 'data-testid="message-steps"' in body
    assert "Not sent: The template is switched off" in body


@pytest.mark.parametrize("role", sorted(roles.OFFICE - roles.SEES_MESSAGES))
def test_other_roles_do_not_see_messages_on_the_file(login, make_staff, customer, role):
    _queue(customer)
    body = _file(login(make_staff(role)), customer)
    assert 'data-testid="message-steps"' not in body and "Message (SMS)" not in body


def test_the_history_renders_in_chinese(login, receptionist, customer):
    MessageTemplate.objects.filter(key="visit_not_booked").update(is_active=False)
    _queue(customer)
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    body = _file(client, customer)
    assert 'data-testid="message-steps"' in body and "Put in the queue" not in body
