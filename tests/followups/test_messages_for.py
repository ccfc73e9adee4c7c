"""A couple's messages, for their file: why one was not sent."""

from followups.models import MessageTemplate, OutboxMessage
from followups.services import queue_message


def test_it_says_why_a_message_was_not_sent(customer):
    MessageTemplate.objects.update(is_active=False)
    queue_message(customer=customer, key="visit_not_booked", occasion="a", context={})
    message = OutboxMessage.objects.get(customer=customer)
    assert message.get_skip_reason_display() == "The template is switched off"
