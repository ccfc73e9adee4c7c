from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from orders.models import LedgerEntry
from studio.listing import choice_labels, short_datetimes
from studio.templatetags.studio import escaped, money

register = template.Library()


@register.simple_tag
def balance(amount, order=None, strong=False, state=None):
    """An order's balance: red only while it is owed; a cancelled order owes nothing more.
    A simple tag, not an included template; `state` instead of `order` for rows read as
    plain values (the order list)."""
    if order is not None:
        state = order.state
    if state == "cancelled":
        return format_html(
            '<span class="text-muted" data-testid="not-owed">{}</span>',
            _("Not owed (order cancelled)"),
        )
    if amount > 0:
        return format_html(
            '<span class="text-danger{}">{}</span>', " fw-bold" if strong else "", money(amount)
        )
    return money(amount)


@register.simple_tag
def ledger_rows(order, ledger):
    """The order page's payment rows, written in Python: the markup the template wrote
    (`<tr>` per entry, or the row saying there are none), every value escaped as it
    escaped it. The template spent ~0.4 ms a row on labels, a URL and filters."""
    if not ledger:
        nothing = escaped(_("No payments yet."))
        return mark_safe(f'<tr><td colspan="7" class="text-muted">{nothing}</td></tr>')  # noqa: S308
    when = short_datetimes()
    kinds, methods = choice_labels(LedgerEntry, "kind"), choice_labels(LedgerEntry, "method")
    rows = []
    for e in ledger:
        url = reverse("orders:receipt", args=[order.number, e.receipt_no])
        elsewhere = ""
        if e.branch_id != order.branch_id:
            taken_at = _("taken at %(branch)s") % {"branch": escaped(e.branch.name)}
            elsewhere = (
                f' <span class="badge text-bg-secondary" data-testid="taken-elsewhere">'
                f"{taken_at}</span>"
            )
        rows.append(
            f'\n    <tr><td><a href="{escaped(url)}">{escaped(e.receipt_no)}</a>{elsewhere}</td>'
            f"<td>{escaped(when(e.created_at))}</td>"
            f"<td>{escaped(kinds.get(e.kind, e.kind))}</td>"
            f"<td>{escaped(methods.get(e.method, e.method))}</td>"
            f'<td class="text-end money">{escaped(money(e.amount))}</td>'
            f"<td>{escaped(e.staff.display_name)}</td><td>{escaped(e.note_text)}</td></tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above
