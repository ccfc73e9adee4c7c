from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from django import template
from django.template import defaultfilters
from django.utils.html import format_html

from studio import listing

register = template.Library()


@register.filter
def money(value):
    """Amounts in CNY: ¥12,800.00. Chinese and English write yuan the same way (comma
    thousands, point decimals), whatever Django's locale number grouping says."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def masked(phone, show=False):
    """A phone number as 138****5678 unless the viewer's role calls customers."""
    if not phone or show:
        return phone
    phone = str(phone)
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * max(len(phone) - 7, 1) + phone[-4:]


_BADGE_COLOURS = {"cancelled": "secondary", "delivered": "success", "ready": "info"}


@cache
def _state_labels(model):
    """The state field's labels (lazy, translated when shown) by value, per model:
    `get_state_display()` rebuilds and hashes every choice on each call."""
    return dict(model._meta.get_field("state").flatchoices)


@register.simple_tag
def state_badge(order):
    """An order's state as a coloured badge. A simple tag, not an included template: lists
    show one per row."""
    return badge_of(type(order), order.state)


def badge_of(model, state):
    """The badge of `state` (a value of `model`'s state field), in the active language."""
    colour = _BADGE_COLOURS.get(state, "primary")
    label = _state_labels(model).get(state, state)
    return format_html(
        '<span class="badge state-badge text-bg-{}" data-state="{}">{}</span>',
        colour,
        state,
        str(label),
    )


@register.filter(expects_localtime=True, is_safe=False)
def short_date(value):
    """`|date:"SHORT_DATE_FORMAT"` for dates, remembered per day and language: a list page
    writes hundreds of the same few days. Datetimes go to the `date` filter."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return listing.short_date(value)
    return defaultfilters.date(value, "SHORT_DATE_FORMAT")
