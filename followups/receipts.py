"""What the gateways tell us after a message left: delivery receipts, customers' replies,
and the messages a person settles ("Sent or not?").

Receipts and replies arrive at public callback URLs (followups.hooks); everything here is
idempotent, because a gateway repeats a callback it thinks was lost.
"""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from studio import roles
from studio.models import Customer, Staff
from studio.services import AlreadyDone, update_customer
from studio.validators import normalise_phone_or_keep

from .models import InboundReply, OutboxMessage

log = logging.getLogger(__name__)

# A receipt settles a message the gateway took, or one we were unsure of (it proves it
# went out); a message already settled by a receipt stays as it is.
RECEIPT_SETTLES = (
    OutboxMessage.Status.SENDING,
    OutboxMessage.Status.SENT,
    OutboxMessage.Status.CHECK,
)
# Replies that mean "stop sending me offers" (the words the templates offer, and the
# usual others), compared without spaces and case.
OPT_OUT_REPLIES = {"T", "TD", "N", "退订", "回T退订", "UNSUBSCRIBE", "STOP"}


def record_delivery(
    *,
    channel: str,
    delivered: bool,
    detail: str,
    at: datetime | None = None,
    message_id: int | None = None,
    gateway_id: str = "",
    to: str = "",
) -> int:
    """A delivery receipt: the message (by our id, else by the gateway's id) is delivered
    or not delivered, once. Unknown ids are ignored. Returns how many it settled (0 or 1)."""
    matches = Q(pk=message_id) if message_id else Q(gateway_id=gateway_id) if gateway_id else None
    if matches is None:
        return 0
    rows = OutboxMessage.objects.filter(matches, channel=channel, status__in=RECEIPT_SETTLES)
    if to:
        rows = rows.filter(to=to)
    at = at or timezone.now()
    done = rows.update(
        status=OutboxMessage.Status.DELIVERED if delivered else OutboxMessage.Status.UNDELIVERED,
        delivered_at=at,
        sent_at=Coalesce("sent_at", "claimed_at"),
        receipt=detail[:200],
    )
    if not done:
        log.info("Receipt for an unknown or settled message: %s %s", message_id, gateway_id)
    return done


def is_opt_out(text: str) -> bool:
    return "".join(text.split()).upper() in OPT_OUT_REPLIES


def record_opt_out(
    phone: str, channel: str, text: str, received_at: datetime, *, provider: str
) -> InboundReply:
    """Keep a customer's reply; an opt-out word withdraws marketing consent on `channel`
    for every customer with that phone, in any branch (PIPL: withdrawable at any time).
    The same reply delivered twice is kept once and withdraws once."""
    phone = normalise_phone_or_keep(phone.strip())
    with transaction.atomic():
        try:
            with transaction.atomic():
                reply = InboundReply.objects.create(
                    provider=provider,
                    channel=channel,
                    phone=phone,
                    text=text[:500],
                    received_at=received_at,
                    opt_out=is_opt_out(text),
                )
        except IntegrityError:
            return InboundReply.objects.get(
                provider=provider, phone=phone, received_at=received_at, text=text[:500]
            )
        if reply.opt_out:
            customers = list(customers_with_phone(phone))
            for customer in customers:
                withdraw_marketing_consent(customer, channel=channel, source=reply)
            reply.customers.set(customers)
    return reply


def customers_with_phone(phone: str) -> QuerySet[Customer]:
    return Customer.objects.filter(Q(bride_phone=phone) | Q(groom_phone=phone)).order_by("pk")


def withdraw_marketing_consent(customer: Customer, *, channel: str, source: InboundReply) -> None:
    """The one place an inbound opt-out changes consent (rewired at merge to
    studio.services.withdraw_consent(customer, purpose="marketing", channel=channel,
    source=..., by=None)). Until consent is per channel, any channel's opt-out clears the
    customer's one marketing consent, through the audited customer edit."""
    if customer.marketing_consent:
        update_customer(customer=customer, by=None, marketing_consent=False)


# --- "Sent or not?": a person settles what the gateway could not tell ---

SETTLE_ROLES = (roles.CUSTOMER_SERVICE, roles.MANAGER)


def settle_check_message(*, message: OutboxMessage, by: Staff, was_sent: bool) -> OutboxMessage:
    """A person looked the message up in the provider's console: it was sent (recorded as
    sent, never sent again), or it was not (queued to go out now). Once only: a second
    press is told who settled it and how (AlreadyDone)."""
    Status = OutboxMessage.Status
    with transaction.atomic():
        locked = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("branch", "settled_by")
            .get(pk=message.pk)
        )
        if locked.status != Status.CHECK:
            if locked.settled_by is not None and locked.settled_at is not None:
                raise AlreadyDone(
                    _("Already settled by %(who)s at %(time)s.")
                    % {
                        "who": locked.settled_by.display_name,
                        "time": timezone.localtime(
                            locked.settled_at, locked.branch.tzinfo
                        ).strftime("%H:%M"),
                    }
                )
            raise AlreadyDone(
                _("Already settled: the message is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        now = timezone.now()
        locked.settled_by = by
        locked.settled_at = now
        fields = ["status", "settled_by", "settled_at", "settled_as"]
        if was_sent:
            locked.status = Status.SENT
            locked.settled_as = "sent"
            locked.sent_at = locked.claimed_at or now
            fields.append("sent_at")
        else:
            locked.status = Status.QUEUED
            locked.settled_as = "resend"
            locked.send_after = now
            locked.called_at = None
            fields += ["send_after", "called_at"]
        locked.save(update_fields=fields)
    return locked
