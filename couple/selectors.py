"""Reads for the couple's page: their order's progress, drawn from the order's state and
the stages' appointments. Only what the couple may see: no notes, no staff, no money but
their own balance."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from orders.models import Order, State
from orders.selectors import with_money
from pickup.models import PickupAppointment
from selection.models import FAVOURITE_NOTE_MAX, DesignProof, SelectionSession
from selection.selectors import home_photos, shown_proofs
from shoots.models import Shoot

from .models import CoupleLink

# Where each step of the timeline is done: the states at and after it.
_ORDER = [s.value for s in State if s != State.CANCELLED]


def _reached(order: Order, state: State) -> bool:
    return _ORDER.index(order.state) >= _ORDER.index(state.value)


@dataclass
class Step:
    key: str
    title: str
    done: bool
    current: bool
    at: datetime | None = None
    lines: list[str] = field(default_factory=list)
    balance: Decimal | None = None


def timeline(order: Order) -> list[Step]:
    """Booked, shot, selection appointment, production, ready for pickup: each done, the
    current one, or to come, with its date. Four queries."""
    money = with_money(Order.objects.filter(pk=order.pk)).get()
    shoot = (
        Shoot.objects.filter(order=order)
        .exclude(status__in=[Shoot.Status.CANCELLED, Shoot.Status.MOVED])
        .order_by("-starts_at")
        .first()
    )
    session = SelectionSession.objects.filter(order=order).first()
    pickup = (
        PickupAppointment.objects.filter(order=order)
        .exclude(status=PickupAppointment.Status.MOVED)
        .order_by("-starts_at")
        .first()
    )
    shot = _reached(order, State.SHOT)
    selected = _reached(order, State.SELECTED)
    made = _reached(order, State.READY)
    delivered = order.state == State.DELIVERED
    steps = [
        Step("booked", pgettext("order state", "Booked"), True, False, order.signed_at),
        Step("shot", _("Photo shoot"), shot, not shot, shoot.starts_at if shoot else None),
        Step(
            "selection",
            _("Choosing your photos"),
            selected,
            shot and not selected,
            session.appointment_at if session else None,
            [
                _("Come together, both of you: you choose the photos and the album's pages."),
                _("Bring your order slip and any ideas for the album (pictures you like)."),
                _("Plan about two hours."),
            ]
            if not selected
            else [],
        ),
        Step("production", _("Making your album"), made, selected and not made),
        Step(
            "ready",
            _("Ready for pickup"),
            delivered,
            made and not delivered,
            pickup.starts_at if pickup and not delivered else None,
            balance=money.balance if not delivered and money.balance > 0 else None,
        ),
    ]
    return steps


def proofs(link: CoupleLink) -> QuerySet[DesignProof]:
    return shown_proofs(link.order)


@dataclass
class HomeTile:
    pk: int
    number: int
    favourite: bool
    note: str
    image: str
    mark: str
    write: str


def photos(link: CoupleLink, token: str) -> list[HomeTile]:
    """Their photos to mark as favourites, until the list is signed: the watermarked
    previews, through the link's own addresses. One query; the addresses built from one
    reversed pattern each, not reversed 1,600 times."""
    marker = 999999999
    urls = {
        name: reverse(f"couple:{name}", kwargs={"token": token, "pk": marker})
        for name in ("photo", "favourite", "note")
    }

    def at(name: str, pk: int) -> str:
        return urls[name].replace(str(marker), str(pk))

    return [
        HomeTile(
            pk=p.pk,
            number=p.number,
            favourite=p.favourite,
            note=p.note,
            image=at("photo", p.pk),
            mark=at("favourite", p.pk),
            write=at("note", p.pk),
        )
        for p in home_photos(link.order)
    ]


def page(link: CoupleLink, token: str) -> dict[str, Any]:
    """Everything the couple's page shows."""
    order = link.order
    tiles = photos(link, token)
    return {
        "order": order,
        "couple": order.customer,
        "branch": order.branch,
        "steps": timeline(order),
        "proofs": list(proofs(link)),
        "photos": tiles,
        "favourite_count": sum(1 for t in tiles if t.favourite),
        "note_max": FAVOURITE_NOTE_MAX,
    }


def links_of(order: Order) -> QuerySet[CoupleLink]:
    return CoupleLink.objects.filter(order=order).select_related("created_by", "revoked_by")
