"""The layout's bar of pages (templates/base.html), written by overview.nav."""

from django import template

from overview.nav import nav_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_entries(context):
    """The signed-in staff member's entries of the bar; none on the login page."""
    request = context.get("request")
    if getattr(request, "staff", None) is None:
        return ""
    return nav_html(request)
