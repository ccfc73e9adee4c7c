"""The lists of Today's front desk (arrivals, tomorrow's calls to confirm, my open tasks),
written in Python.

A branch's Today lists a few dozen couples, and the template engine spent ~400 function
calls on each line (its times, phones masked by role, what each couple must bring): the
lists were most of the receptionist's busiest page. The markup is the one the template
wrote; every value is escaped as the template escaped it.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from studio.templatetags.studio import clock, escaped, masked

register = template.Library()


def _none(words: str) -> SafeString:
    return mark_safe(f'<li class="list-group-item text-muted">{escaped(words)}</li>')


@register.simple_tag
def arrival_items(arrivals) -> SafeString:
    """Today's arrivals: when, what, the couple, their owner, what they must bring."""
    if not arrivals:
        return _none(gettext("No arrivals today."))
    all_day, owner = escaped(gettext("All day")), escaped(gettext("Owner"))
    items = []
    for a in arrivals:
        needs = "".join(f'<div class="small text-danger">{escaped(n)}</div>' for n in a.needs)
        items.append(
            '    <li class="list-group-item"><span class="text-muted">'
            f"{all_day if a.all_day else clock(a.at)}</span> · {escaped(a.kind)} · "
            f'<a href="{escaped(a.customer_url)}">{escaped(a.customer)}</a> · '
            f'<span class="small">{owner}: {escaped(a.owner)}</span>\n      {needs}</li>'
        )
    return mark_safe("\n".join(items))  # every value escaped


@register.simple_tag(takes_context=True)
def tomorrow_items(context, arrivals) -> SafeString:
    """Tomorrow's couples to call: as today's, with their phones (masked by role)."""
    if not arrivals:
        return _none(gettext("Nothing to confirm for tomorrow."))
    sees_contacts = context.get("sees_contacts")
    all_day, owner = escaped(gettext("All day")), escaped(gettext("Owner"))
    items = []
    for a in arrivals:
        phones = "".join(f"{escaped(masked(p, sees_contacts))} " for p in a.customer.phones)
        needs = "".join(f' · <span class="small text-danger">{escaped(n)}</span>' for n in a.needs)
        items.append(
            '    <li class="list-group-item"><span class="text-muted">'
            f"{all_day if a.all_day else clock(a.at)}</span> · {escaped(a.kind)} · "
            f'<a href="{escaped(a.customer_url)}">{escaped(a.customer)}</a> · {phones}· '
            f"{owner}: {escaped(a.owner)}{needs}</li>"
        )
    return mark_safe("\n".join(items))  # every value escaped


@register.simple_tag
def task_items(tasks) -> SafeString:
    """My open tasks: when, what, the couple, for whom when I cover for a colleague."""
    if not tasks:
        return _none(gettext("No open tasks."))
    items = []
    for t in tasks:
        late = " list-group-item-danger" if t.is_overdue else ""
        whom = ""
        if t.for_whom:
            words = gettext("for %(name)s") % {"name": escaped(t.for_whom)}
            whom = f' <span class="badge text-bg-secondary">{words}</span>'
        items.append(
            f'    <li class="list-group-item{late}"><span class="text-muted">'
            f"{clock(t.due_at)}</span> · {escaped(t.kind_label)} · "
            f'<a href="{escaped(t.customer_url)}">{escaped(t.customer)}</a>{whom}</li>'
        )
    return mark_safe("\n".join(items))  # every value escaped
