"""What the rentals answer for the apps below them (STYLE.md 16), registered from
`RentalsConfig.ready()`: a transfer between branches asks which dresses are reserved ahead
for the orders that move (`orders.facts.BOOKINGS`)."""

from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from orders import facts
from orders.models import Order

from .models import DressReservation


@facts.answers_bookings("future_dress_reservations")
def future_dress_reservations(orders: list[Order], now: datetime) -> list[str]:
    """Dresses still to be picked up or still out: both tie the order to this branch."""
    reservations = DressReservation.objects.filter(
        order__in=orders,
        status__in=[DressReservation.Status.RESERVED, DressReservation.Status.PICKED_UP],
    ).select_related("order", "dress")
    return [
        _("Order %(order)s: dress %(dress)s reserved %(start)s to %(end)s")
        % {
            "order": r.order.number,
            "dress": r.dress.code,
            "start": date_format(r.pickup_on, "SHORT_DATE_FORMAT"),
            "end": date_format(r.return_on, "SHORT_DATE_FORMAT"),
        }
        for r in reservations.order_by("pickup_on")
    ]
