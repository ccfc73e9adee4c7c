"""The control sheet's repeated markup, written in Python.

The week's shoots, the day's shoots, the orders waiting for a shoot date and the staff
filter's options are most of the sheet's markup, and the template engine spent ~150–250
function calls on each (a variable's lookup, a filter, an `{% if %}`), more than building
the row's whole string here. The markup is the one the templates wrote, line breaks
included; every value is escaped as the template escaped it.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from studio.models import Staff
from studio.templatetags.studio import clock, escaped

register = template.Library()


@register.simple_tag
def week_items(shoots: Iterable[dict[str, Any]]) -> SafeString:
    """A day's shoots on the week's sheet, an `<li>` each: arrival and planned finish, the
    couple (a link to the shoot), the room and the photographer. The rows are those
    `shoots.views.WeekView` makes (`starts`, `ends`, `detail_url`, `couple`, `room_name`,
    `photographer_name`)."""
    return format_html_join(
        "",
        '\n      <li class="list-group-item small"><strong>{}–{}</strong> <a href="{}">{}</a>'
        '\n        <div class="text-muted">{}{}</div></li>\n    ',
        (
            (
                s["starts"],
                s["ends"],
                s["detail_url"],
                s["couple"],
                s["room_name"] or "",
                ""
                if s["photographer_name"] is None
                else format_html(" · {}", s["photographer_name"]),
            )
            for s in shoots
        ),
    )


@register.simple_tag
def staff_options(choices: Iterable[tuple[int, str]], chosen: Staff | None) -> SafeString:
    """The sheet filter's `<option>` per colleague, as (pk, name); `chosen` selected."""
    picked = None if chosen is None else chosen.pk
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, " selected" if pk == picked else "", name) for pk, name in choices),
    )


@register.simple_tag
def day_rows(shoots: Iterable[Any]) -> SafeString:
    """The day's sheet, a `<tr>` per shoot: arrival and planned finish in the branch's time,
    the couple (a link to the shoot) with the order's number and package, the people in
    their seats, room and vehicle, outfits, and the status (a telephone when confirmed).
    The shoots carry what `shoots.views._for_the_day` set on them."""
    confirmed = escaped(gettext("Confirmed"))
    rows = []
    for s in shoots:
        order = s.order
        people = "".join(
            f'<li><span class="text-muted">{escaped(capfirst(label))}:</span> {escaped(name)}</li>'
            for label, name in s.people_rows
        )
        vehicle = f'<div class="small">{escaped(s.vehicle)}</div>' if s.vehicle else ""
        phone = (
            f' <i class="bi bi-telephone-check" title="{confirmed}"></i>'
            if s.confirmation == "confirmed"
            else ""
        )
        rows.append(
            "\n    <tr>"
            f'\n      <td class="text-nowrap">{clock(s.starts_at)}</td>'
            f'\n      <td class="text-nowrap">{clock(s.ends_at)}</td>'
            f'\n      <td><a href="{escaped(s.detail_url)}">{escaped(order.customer)}</a>'
            f'<div class="small text-muted">{escaped(order.number)} · {escaped(order.package.name)}</div></td>'
            f'\n      <td><ul class="list-unstyled mb-0 small">{people}</ul></td>'
            f"\n      <td>{escaped(s.room) if s.room else '—'}{vehicle}</td>"
            f'\n      <td class="small">{escaped(s.outfits_text)}</td>'
            f'\n      <td class="text-nowrap"><span data-testid="shoot-status">{escaped(s.status_label)}{phone}</span></td>'
            "\n    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


@register.simple_tag
def waiting_rows(waiting: Iterable[dict[str, Any]], day: date) -> SafeString:
    """The orders waiting for a shoot date, a `<tr>` each with a button booking the shoot on
    the sheet's day. The rows are those `shoots.views._for_the_day` completes (`couple`,
    `number`, `package__name`, `wanted_text`, `signed_text`, `book_url`)."""
    book = escaped(gettext("Book the shoot"))
    when = f"?date={day.isoformat()}&amp;time=09:30"
    return mark_safe(  # noqa: S308 - every value escaped here
        "".join(
            f'\n    <tr><td>{escaped(o["couple"])}<div class="small text-muted">{escaped(o["number"])}</div></td>'
            f"<td>{escaped(o['package__name'])}</td>"
            f"\n      <td>{escaped(o['wanted_text'])}</td><td>{escaped(o['signed_text'])}</td>"
            f'\n      <td class="text-end"><a class="btn btn-sm btn-primary" href="{escaped(o["book_url"])}{when}"'
            f' data-testid="book-{escaped(o["number"])}">{book}</a></td></tr>\n  '
            for o in waiting
        )
    )
