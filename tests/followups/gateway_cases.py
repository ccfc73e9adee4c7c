"""What the tests of the SMS gateway backends (Alibaba Cloud, Tencent Cloud) share, each
against its own fake (fake_alibaba, fake_tencent on fake_gateway): the message they send
and a message as a dead worker leaves it. The branch they send from is the fixture
`sms_branch` (conftest)."""

from datetime import timedelta

from django.utils import timezone

from followups.models import OutboxMessage
from followups.services import queue_message

KEY = "visit_not_booked"
SIGN_NAME = "幸福影楼静安店"


def queue_visit_message(customer, occasion="o:1"):
    """The thank-you after a visit, due a minute ago."""
    return queue_message(
        customer=customer,
        key=KEY,
        occasion=occasion,
        context={"taker": "李娜"},
        send_after=timezone.now() - timedelta(minutes=1),
    )


def left_sending(message, *, ago, called=True):
    """As a worker that died after claiming the message (and, `called`, after it started
    the gateway call) leaves it."""
    claimed_at = timezone.now() - ago
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING,
        claimed_by="dead-worker",
        claimed_at=claimed_at,
        called_at=claimed_at if called else None,
    )
    message.refresh_from_db()
    return message
