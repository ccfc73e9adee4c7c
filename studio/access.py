"""The one access mechanism every view uses.

A view declares the roles that may use it; requests from anyone else are refused with 403.
Reads are scoped to the user's branches through `scoped()`, so another branch's record is a
404, never its data. Login itself is enforced for every URL by LoginRequiredMiddleware.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import NoReverseMatch, Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from . import roles as role_names


def _check(request, allowed):
    staff = getattr(request, "staff", None)
    if staff is None:
        raise PermissionDenied("No staff profile for this account.")
    if not staff.has_role(*allowed):
        raise PermissionDenied("Your role may not use this page.")


class StaffRequired:
    """Mixin for class-based views: `roles = (roles.RECEPTIONIST, ...)` is required."""

    roles = None

    def dispatch(self, request, *args, **kwargs):
        if self.roles is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare `roles`.")
        _check(request, self.roles)
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, queryset, field="branch"):
        return scoped(queryset, self.request, field)

    def http_method_not_allowed(self, request, *args, **kwargs):
        """An action's address opened as a page (reloaded after a refusal, the language
        switched, a bookmark): the studio's page saying so, not an empty 405."""
        from django.template.response import TemplateResponse

        refused = super().http_method_not_allowed(request, *args, **kwargs)
        response = TemplateResponse(request, "405.html", status=405)
        response["Allow"] = refused["Allow"]
        return response


def staff_required(*, roles):
    """Decorator for function views, the same rule as `StaffRequired`."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            _check(request, roles)
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorate


def reached_by_private_link(view):
    """The pages reached without a login, by a private token in their address (the staff
    calendar feed, the couple's page): the only project views LoginRequiredMiddleware lets
    through. A system check (studio.E002) refuses any other login-exempt project view, so
    no page becomes public by a forgotten decorator. The view itself must find its token
    and refuse everything else."""
    from django.contrib.auth.decorators import login_not_required

    view = login_not_required(view)
    view.allowed_roles = ()
    view.private_link = True
    return view


def scoped(queryset, request, field="branch"):
    """Only rows of the branches the user works at (managers: the branches they manage)."""
    staff = request.staff
    return queryset.filter(**{f"{field}__in": staff.branch_ids})


def is_chain(request):
    """Head office: the superuser or a chain manager, who see and change every branch."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    staff = getattr(request, "staff", None)
    return staff is not None and staff.has_role(role_names.CHAIN_MANAGER)


def managed_branch_ids(request):
    """The branches whose records the user may manage: None for the chain (all of them),
    the branches they work at for a store manager, none for anyone else."""
    if is_chain(request):
        return None
    staff = getattr(request, "staff", None)
    if staff is None or not staff.is_manager:
        return frozenset()
    return staff.branch_ids


def declared_roles(view):
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "roles", None)
    return getattr(view, "allowed_roles", None)


EVERYONE = role_names.ALL


def may_open(staff, url):
    """Whether this staff member's roles let them open the page at `url` (on this site)."""
    try:
        match = resolve(urlsplit(str(url)).path)
    except Resolver404:
        return False
    allowed = declared_roles(match.func)
    if allowed is None or staff is None:
        return False
    return not allowed or staff.has_role(*allowed)


def redirect_allowed(request, *candidates, fallback="home"):
    """After an action: to the first of `candidates` the actor may open, else `fallback`.

    A candidate is a URL, a URL name without arguments, a model instance with
    get_absolute_url(), or empty (skipped). A booking by the front desk must not land on
    the dispatcher's page and show "403" after the work was done.
    """
    staff = getattr(request, "staff", None)
    for candidate in candidates:
        if not candidate:
            continue
        try:
            url = resolve_url(candidate)
        except NoReverseMatch:  # a posted "next" that is neither a URL nor a page's name
            continue
        if url_has_allowed_host_and_scheme(url, {request.get_host()}) and may_open(staff, url):
            return redirect(url)
    return redirect(fallback)
