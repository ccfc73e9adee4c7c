"""A couple's messages, for their file."""

from followups.selectors import messages_for
from followups.services import queue_message
from tests.factories import CustomerFactory


def test_it_lists_a_couples_messages_newest_first(customer, branch):
    first = queue_message(customer=customer, key="visit_not_booked", occasion="a", context={})
    second = queue_message(customer=customer, key="visit_not_booked", occasion="b", context={})
    queue_message(
        customer=CustomerFactory(branch=branch), key="visit_not_booked", occasion="a", context={}
    )
    assert messages_for(customer) == [second, first]


def test_it_says_why_a_message_was_not_sent(customer):
    from followups.models import MessageTemplate

    MessageTemplate.objects.update(is_active=False)
    queue_message(customer=customer, key="visit_not_booked", occasion="a", context={})
    (message,) = messages_for(customer)
    assert message.get_skip_reason_display() == "The template is switched off"
