"""The customer file's timeline rows, written in Python.

The rows are the longest part of the file, and the template engine spent ~500 function
calls on each (a variable's lookup, a filter, an `{% if %}` cost as much as a whole row's
string here). The markup is the one the template wrote; every value is escaped as the
template escaped it.
"""

from django import template
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from studio.templatetags.studio import money

register = template.Library()


@register.simple_tag
def timeline_rows(events) -> SafeString:
    """`<li>` per event: when (as `|date:"SHORT_DATETIME_FORMAT"`), the title (a link when
    the reader may open it), the detail, a message's steps, the amount."""
    short = get_format("SHORT_DATETIME_FORMAT")  # once per page, in the active language

    def when(at) -> str:
        return dateformat.format(template_localtime(at), short)

    rows = []
    for e in events:
        title = format_html('<a href="{}">{}</a>', e.url, e.title) if e.url else e.title
        detail = format_html(' <span class="text-muted small">· {}</span>', e.detail)
        steps = ""
        if e.steps:
            items = [
                format_html(
                    '<li class="list-inline-item">{}{}{}</li>',
                    "" if i == 0 else "→ ",
                    s.what,
                    format_html(' <span class="text-nowrap">{}</span>', when(s.at)) if s.at else "",
                )
                for i, s in enumerate(e.steps)
            ]
            steps = mark_safe(
                '<ol class="list-inline small text-muted mb-0" data-testid="message-steps">'
                + "".join(items)
                + "</ol>"
            )
        rows.append(
            format_html(
                '<li class="list-group-item d-flex gap-3">'
                '<span class="text-muted small text-nowrap">{}</span>'
                '<span class="flex-grow-1">{}{}{}</span>{}</li>',
                when(e.at),
                title,
                detail if e.detail else "",
                steps,
                format_html('<span class="money">{}</span>', money(e.amount))
                if e.amount is not None
                else "",
            )
        )
    return mark_safe("\n".join(conditional_escape(r) for r in rows))
