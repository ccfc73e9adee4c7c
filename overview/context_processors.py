from .nav import nav_for


def nav(request):
    """The bar's entries for the signed-in staff member (none on the login page)."""
    if getattr(request, "staff", None) is None:
        return {}
    return {"nav_items": nav_for(request)}
