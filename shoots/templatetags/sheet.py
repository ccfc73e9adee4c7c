"""The control sheet's repeated markup, written in Python.

The week's shoots and the staff filter's options are most of the sheet's markup, and the
template engine spent ~150–250 function calls on each (a variable's lookup, a filter, an
`{% if %}`), more than building the row's whole string here. The markup is the one the
templates wrote, line breaks included; every value is escaped as the template escaped it.
"""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from studio.models import Staff

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
