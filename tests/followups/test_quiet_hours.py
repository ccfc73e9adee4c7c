"""No SMS at night: between 21:00 and 09:00 branch time a message waits for the morning."""

from datetime import datetime

import pytest

from followups.models import OutboxMessage
from followups.services import dispatch_due_messages, outside_quiet_hours, queue_message
from studio.models import Branch

SHANGHAI = Branch(timezone="Asia/Shanghai")


def _at(hour, minute=0, day=1, tz=SHANGHAI):
    return datetime(2026, 6, day, hour, minute, tzinfo=tz.tzinfo)


@pytest.mark.parametrize(
    "at, expected",
    [
        (_at(10), _at(10)),
        (_at(20, 59), _at(20, 59)),
        (_at(21), _at(9, day=2)),
        (_at(23, 30), _at(9, day=2)),
        (_at(0, 5), _at(9)),
        (_at(8, 59), _at(9)),
        (_at(9), _at(9)),
    ],
)
def test_an_sms_at_night_waits_until_nine(at, expected):
    assert outside_quiet_hours(at, branch=SHANGHAI, channel="sms") == expected


def test_a_letter_is_not_held_back_at_night():
    assert outside_quiet_hours(_at(23), branch=SHANGHAI, channel="letter") == _at(23)


def test_the_night_is_the_branchs_own():
    london = Branch(timezone="Europe/London")
    # 22:00 in London is 05:00 next morning in Shanghai: night in both, 09:00 London time.
    at = _at(22, tz=london)
    assert outside_quiet_hours(at, branch=london, channel="sms") == _at(9, day=2, tz=london)
    # 14:00 in London is 21:00 in Shanghai: daytime for the London branch.
    at = _at(14, tz=london)
    assert outside_quiet_hours(at, branch=london, channel="sms") == at


def test_queuing_at_night_moves_send_after_to_the_morning(customer):
    message = queue_message(
        customer=customer, key="visit_not_booked", occasion="n", context={}, send_after=_at(22)
    )
    assert message.send_after == _at(9, day=2)


def test_a_message_due_in_the_evening_found_at_night_waits_for_the_morning(customer, outbox):
    message = queue_message(
        customer=customer, key="visit_not_booked", occasion="n", context={}, send_after=_at(20)
    )
    assert dispatch_due_messages(now=_at(21, 30)) == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.send_after == _at(9, day=2)
    assert outbox == []
    assert dispatch_due_messages(now=_at(9, 1, day=2)) == 1
