from django import template

register = template.Library()


@register.filter
def makes_couple_links(staff):
    """Whether this staff member may make and revoke couple's links (the order page's
    button)."""
    from couple.views import LINK_ROLES

    return staff is not None and staff.has_role(*LINK_ROLES)
