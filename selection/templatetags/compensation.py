from django import template

from selection import selectors, services
from selection.forms import ReverseVoucherUseForm, VoucherForm

register = template.Library()


@register.simple_tag
def compensations_of(order):
    """The compensations given or proposed on an order (its page's list), in one query."""
    return selectors.compensations_of(order=order)


@register.filter
def settles_compensation(staff):
    """Whether this staff member opens the compensation pages (customer service and the
    manager)."""
    return staff is not None and staff.has_role(
        *services.PROPOSES_COMPENSATION, *services.APPROVES_COMPENSATION
    )


@register.simple_tag(takes_context=True)
def voucher_desk(context, order):
    """The order page's vouchers: those taken off it (and given back), the form to take
    one at the desk, and who may give a use back. A refused form comes back bound
    (`voucher_form`, from selection.views.RedeemVoucherView)."""
    staff = context.get("staff")
    may_redeem = bool(staff and staff.has_role(*services.REDEEMS_VOUCHERS))
    return {
        "uses": selectors.voucher_uses_of(order),
        "may_redeem": may_redeem,
        "form": context.get("voucher_form") or (VoucherForm() if may_redeem else None),
        "may_reverse": bool(staff and staff.has_role(*services.REVERSES_VOUCHER_USES)),
        "reverse_form": ReverseVoucherUseForm(),
    }
