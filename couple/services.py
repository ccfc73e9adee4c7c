"""Writes for the couple's page: its private link, the code sent by SMS, the couple's
answers to design proofs (docs/decisions.md, "The couple's page")."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from followups.services import queue_message
from orders.models import Order, State
from selection import photos as selection_photos
from selection import services as selection
from selection.models import DesignProof, Favourite
from studio.models import Staff
from studio.services import AlreadyDone

from .models import CoupleLink

SALT = "couple.link"
# The message templates (followups.MessageTemplate), seeded in both languages.
LINK_MESSAGE = "couple_link"
PROOFS_MESSAGE = "couple_proofs_ready"
PHOTOS_MESSAGE = "couple_photos_ready"
PIN_MESSAGE = "couple_pin"
# A code is asked for again no sooner than this, so a page reloaded in a loop sends one SMS.
PIN_RESEND_SECONDS = 60
PIN_DIGITS = 6
# Orders whose couple no longer has anything to follow.
CLOSED = (State.CANCELLED,)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def sign(raw: str) -> str:
    """The token in the address: the random part and its signature. The signature lets a
    forged or mistyped address be refused before any query."""
    return signing.Signer(salt=SALT).sign(raw)


def unsign(token: str) -> str | None:
    try:
        return signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None


def link_url(token: str) -> str:
    return settings.STUDIO_PUBLIC_URL + reverse("couple:page", kwargs={"token": token})


@dataclass(frozen=True)
class MadeLink:
    link: CoupleLink
    token: str  # exists only here and in the message: never stored

    @property
    def url(self) -> str:
        return link_url(self.token)


def make_link(
    *,
    order: Order,
    by: Staff | None,
    days: int | None = None,
    needs_pin: bool = False,
    message: str = LINK_MESSAGE,
    now: datetime | None = None,
) -> MadeLink:
    """A new private link for the couple of `order`, sent to them by SMS/WeChat through the
    outbox in their language. One link works per order: a new one (sent again, or when the
    proofs are ready) revokes the one before, since the old token cannot be read back."""
    now = now or timezone.now()
    days = settings.STUDIO_COUPLE_LINK_DAYS if days is None else days
    if not 1 <= days <= 366:
        raise ValidationError({"days": _("A link works between 1 and 366 days.")})
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",))
            .select_related("customer")
            .get(pk=order.pk)
        )
        if locked.state in CLOSED:
            raise ValidationError(_("This order is cancelled: its couple gets no page."))
        CoupleLink.objects.filter(order=locked, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        raw = secrets.token_urlsafe(24)
        link = CoupleLink.objects.create(
            order=locked,
            token_hash=token_hash(raw),
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(days=days),
            needs_pin=needs_pin,
        )
        made = MadeLink(link=link, token=sign(raw))
        queue_message(
            customer=locked.customer,
            key=message,
            occasion=f"couple-link:{link.pk}",
            context={"link": made.url},
        )
        return made


def revoke_link(*, link: CoupleLink, by: Staff, now: datetime | None = None) -> CoupleLink:
    """The link stops working at once (a lost phone, a couple who asked)."""
    with transaction.atomic():
        locked = CoupleLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is not None:
            raise AlreadyDone(_("This link was already revoked."))
        locked.revoked_at, locked.revoked_by = now or timezone.now(), by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        return locked


def find_link(token: str, now: datetime | None = None) -> CoupleLink | None:
    """The live link of this address, or None (forged, unknown, revoked, expired, or its
    order cancelled)."""
    raw = unsign(token)
    if raw is None:
        return None
    link = (
        CoupleLink.objects.select_related("order__customer", "order__branch")
        .filter(token_hash=token_hash(raw))
        .first()
    )
    if link is None or not link.is_live(now) or link.order.state in CLOSED:
        return None
    return link


# --- The code sent by SMS ---


class PinCheck(Enum):
    RIGHT = "right"
    WRONG = "wrong"
    LOCKED = "locked"
    EXPIRED = "expired"


def _pin_hash(link: CoupleLink, pin: str) -> str:
    return salted_hmac("couple.pin", f"{link.pk}:{pin}").hexdigest()


def send_pin(*, link: CoupleLink, now: datetime | None = None) -> bool:
    """Send the couple a fresh code by SMS (the outbox, their language). Returns False when
    a code went out less than a minute ago or the link is locked: nothing is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            CoupleLink.objects.select_for_update(of=("self",))
            .select_related("order__customer")
            .get(pk=link.pk)
        )
        if locked.pin_locked_until and locked.pin_locked_until > now:
            return False
        minutes = settings.STUDIO_COUPLE_PIN_MINUTES
        sent_at = (
            locked.pin_expires_at - timedelta(minutes=minutes) if locked.pin_expires_at else None
        )
        if sent_at and (now - sent_at).total_seconds() < PIN_RESEND_SECONDS:
            return False
        pin = f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"
        locked.pin_hash = _pin_hash(locked, pin)
        locked.pin_expires_at = now + timedelta(minutes=minutes)
        locked.pins_sent += 1
        locked.save(update_fields=["pin_hash", "pin_expires_at", "pins_sent"])
        queue_message(
            customer=locked.order.customer,
            key=PIN_MESSAGE,
            occasion=f"couple-pin:{locked.pk}:{locked.pins_sent}",
            context={"code": pin},
        )
        return True


def check_pin(*, link: CoupleLink, pin: str, now: datetime | None = None) -> PinCheck:
    """Compare the typed code. After `STUDIO_COUPLE_PIN_ATTEMPTS` wrong codes the link takes
    no code for `STUDIO_COUPLE_PIN_LOCK_MINUTES`, and the code sent is void: guessing a
    six-digit code is five tries per half hour. The count is committed even when wrong."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = CoupleLink.objects.select_for_update().get(pk=link.pk)
        if locked.pin_locked_until and locked.pin_locked_until > now:
            return PinCheck.LOCKED
        if not locked.pin_hash or not locked.pin_expires_at or locked.pin_expires_at <= now:
            return PinCheck.EXPIRED
        typed = "".join(ch for ch in (pin or "") if ch.isdigit())[:PIN_DIGITS]
        if hmac.compare_digest(locked.pin_hash, _pin_hash(locked, typed)):
            locked.pin_hash, locked.pin_expires_at, locked.pin_failures = "", None, 0
            locked.save(update_fields=["pin_hash", "pin_expires_at", "pin_failures"])
            return PinCheck.RIGHT
        locked.pin_failures += 1
        fields = ["pin_failures"]
        if locked.pin_failures >= settings.STUDIO_COUPLE_PIN_ATTEMPTS:
            locked.pin_locked_until = now + timedelta(
                minutes=settings.STUDIO_COUPLE_PIN_LOCK_MINUTES
            )
            locked.pin_hash, locked.pin_expires_at, locked.pin_failures = "", None, 0
            fields += ["pin_locked_until", "pin_hash", "pin_expires_at"]
        locked.save(update_fields=fields)
        return PinCheck.LOCKED if "pin_locked_until" in fields else PinCheck.WRONG


def opened(*, link: CoupleLink, now: datetime | None = None) -> None:
    CoupleLink.objects.filter(pk=link.pk).update(last_opened_at=now or timezone.now())


# --- Design proofs ---


def answer_proof(*, link: CoupleLink, proof_id: int, approve: bool, note: str = "") -> DesignProof:
    """The couple's answer to one of their order's proofs (never another order's)."""
    proof = DesignProof.objects.filter(
        pk=proof_id, item__order_id=link.order_id, shown_at__isnull=False
    ).first()
    if proof is None:
        raise ValidationError(_("This proof is not on your page."))
    return selection.decide_proof(proof=proof, approve=approve, note=note)


def _send_news(*, order: Order, by: Staff | None, message: str) -> MadeLink:
    """A new link goes to the couple with news. It asks for a code if the order's last
    link did."""
    last = CoupleLink.objects.filter(order=order).order_by("-created_at", "-pk").first()
    return make_link(order=order, by=by, needs_pin=bool(last and last.needs_pin), message=message)


def send_proofs_link(*, order: Order, by: Staff | None) -> MadeLink:
    """The proofs are ready: a new link goes to the couple saying so."""
    return _send_news(order=order, by=by, message=PROOFS_MESSAGE)


def send_photos_link(*, order: Order) -> MadeLink:
    """Every photo of the session has its previews (selection announces it once per
    batch of photos): a new link goes to the couple, asking them to mark their favourites at home
    before the appointment. A service message, in the customer's language."""
    return _send_news(order=order, by=None, message=PHOTOS_MESSAGE)


# --- Favourites at home ---


def mark_favourite(*, link: CoupleLink, photo_id: int, favourite: bool) -> Favourite | None:
    """Mark or unmark one of the link's order's photos (never another order's)."""
    return selection_photos.mark_favourite(order=link.order, photo_id=photo_id, favourite=favourite)


def write_note(*, link: CoupleLink, photo_id: int, note: str) -> Favourite:
    return selection_photos.write_note(order=link.order, photo_id=photo_id, note=note)
