"""The customer file's timeline rows, written in Python.

The rows are the longest part of the file, and the template engine spent ~500 function
calls on each (a variable's lookup, a filter, an `{% if %}` cost as much as a whole row's
string here). The markup is the one the template wrote; every value is escaped as the
template escaped it.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from studio.listing import short_datetimes
from studio.templatetags.studio import escaped, money

register = template.Library()


@register.simple_tag
def timeline_rows(events) -> SafeString:
    """`<li>` per event: when (as `|date:"SHORT_DATETIME_FORMAT"`), the title (a link when
    the reader may open it), the detail, a message's steps, the amount."""
    when = short_datetimes()  # the active language's format, looked up once per page
    rows = []
    for e in events:
        title = escaped(e.title)
        if e.url:
            title = f'<a href="{escaped(e.url)}">{title}</a>'
        detail = f' <span class="text-muted small">· {escaped(e.detail)}</span>' if e.detail else ""
        steps = ""
        if e.steps:
            items = "".join(
                f'<li class="list-inline-item">{"" if i == 0 else "→ "}{escaped(s.what)}'
                + (f' <span class="text-nowrap">{escaped(when(s.at))}</span>' if s.at else "")
                + "</li>"
                for i, s in enumerate(e.steps)
            )
            steps = (
                '<ol class="list-inline small text-muted mb-0" data-testid="message-steps">'
                f"{items}</ol>"
            )
        amount = (
            f'<span class="money">{escaped(money(e.amount))}</span>' if e.amount is not None else ""
        )
        rows.append(
            '<li class="list-group-item d-flex gap-3">'
            f'<span class="text-muted small text-nowrap">{escaped(when(e.at))}</span>'
            f'<span class="flex-grow-1">{title}{detail}{steps}</span>{amount}</li>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above
