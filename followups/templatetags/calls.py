"""The rows of "My calls", written in Python.

Each call's row held some forty tags and conditions (the consultation it follows up, the
phones masked by role, the script in the couple's language, the outcome form): the
template engine spent ~700 function calls on a row. The markup is the one the template
wrote; every value is escaped as the template escaped it.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from studio.listing import short_date, short_datetime
from studio.templatetags.studio import clock, escaped, masked, money

register = template.Library()


@register.simple_tag(takes_context=True)
def call_rows(context, tasks) -> SafeString:
    """The table's rows, or its one row saying there are none."""
    if not tasks:
        return mark_safe(
            f'<tr><td colspan="5" class="text-muted">{escaped(gettext("No open calls."))}</td></tr>'
        )
    page = _Page(context)
    return mark_safe("\n".join(page.row(t) for t in tasks))  # every value escaped


class _Page:
    """What every row shares: the reader, their rights, the words, the outcome form."""

    def __init__(self, context):
        self.staff = context.get("staff")
        self.sees_contacts = context.get("sees_contacts")
        self.sees_money = context.get("sees_money")
        self.language = get_language()
        words = {
            "the_call": gettext("The call"),
            "outcome": gettext("Outcome"),
            "log": gettext("Log"),
            "consultation": gettext("Consultation"),
            "why_came": gettext("Why they came in"),
            "budget": gettext("Budget"),
            "compared": gettext("Compared with"),
            "shown": gettext("Packages shown"),
            "why_not": gettext("Why they did not book"),
        }
        self.words = {key: escaped(word) for key, word in words.items()}
        csrf = escaped(context.get("csrf_token", ""))
        options = "".join(
            f'<option value="{escaped(value)}">{escaped(label)}</option>'
            for value, label in context.get("outcomes") or ()
        )
        self.form_end = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">\n'
            '        <select name="status" class="form-select form-select-sm w-auto" '
            f'aria-label="{self.words["the_call"]}">{options}</select>\n'
            '        <input name="outcome" class="form-control form-control-sm w-auto '
            f'flex-grow-1" placeholder="{self.words["outcome"]}">\n'
            f'        <button class="btn btn-sm btn-primary">{self.words["log"]}</button>\n'
            "      </form>"
        )

    def row(self, t) -> str:
        due = timezone.localtime(t.due_at)
        behalf = ""
        if t.assignee != self.staff:
            name = gettext("on behalf of %(name)s") % {"name": escaped(t.assignee)}
            behalf = f'<br><span class="badge text-bg-secondary text-wrap">{name}</span>'
        phones = "".join(f"{escaped(masked(p, self.sees_contacts))}<br>" for p in t.customer.phones)
        say_in = ""
        if t.script_is_customers and t.customer.language != self.language:
            words = gettext("Say it in %(language)s:") % {
                "language": escaped(t.customer.get_language_display())
            }
            say_in = f'<div class="text-muted" data-testid="script-language">{words}</div>'
        overdue = ' class="table-danger"' if t.is_overdue else ""
        return (
            f"  <tr{overdue}>\n"
            f"    <td>{escaped(short_date(due.date()))} "
            f'<span class="text-nowrap">{escaped(clock(due))}</span></td>\n'
            f'    <td style="min-width: 5rem">{escaped(t.kind_label)}{behalf}</td>\n'
            f'    <td style="min-width: 5rem"><a href="{escaped(t.customer_url)}">{escaped(t.customer)}</a></td>\n'
            f'    <td class="text-nowrap">{phones}</td>\n'
            f'    <td class="small w-50">{say_in}{linebreaksbr(t.script_text, autoescape=True)}'
            f"{self.consultation(t) if t.visit else ''}\n"
            f'      <form method="post" action="{escaped(t.close_url)}" '
            f'class="d-flex flex-wrap gap-1 mt-2">{self.form_end}\n'
            "    </td>\n"
            "  </tr>"
        )

    def consultation(self, t) -> str:
        words, v = self.words, t.visit
        arrived = short_datetime(v.arrived_at)
        lines = [
            '<dl class="row small mb-0 mt-1" data-testid="consultation">',
            f'  <dt class="col-5">{words["consultation"]}</dt>',
            f'  <dd class="col-7"><a href="{escaped(t.visit_url)}">{escaped(arrived)}</a>, {escaped(v.taker)}</dd>',
        ]

        def pair(word, value, extra=""):
            return f'<dt class="col-5">{words[word]}</dt><dd class="col-7{extra}">{value}</dd>'

        lines.append(f"  {pair('why_came', escaped(v.reason))}" if v.reason else "  ")
        if self.sees_money and v.budget is not None:
            lines.append(f"  {pair('budget', escaped(money(v.budget)), ' money')}")
        else:
            lines.append("  ")
        lines.append(
            f"  {pair('compared', escaped(v.compared_studios))}" if v.compared_studios else "  "
        )
        shown = ", ".join(escaped(p.name) for p in v.packages_shown.all()) or "—"
        lines.append(f"  {pair('shown', shown)}")
        lines.append(
            f"  {pair('why_not', escaped(v.not_booked_reason))}" if v.not_booked_reason else "  "
        )
        lines.append("</dl>\n")
        return "\n".join(lines)
