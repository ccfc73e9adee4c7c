from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from studio.templatetags.studio import money

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
