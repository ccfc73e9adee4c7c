from django import template

from selection import selectors, services

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
