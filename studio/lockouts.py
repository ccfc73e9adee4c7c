"""Throttled logins, through django-axes (issue 7, item 4).

Axes counts every failed `authenticate(request, ...)`: on the login page and wherever a
manager types their password on someone else's screen. After `AXES_FAILURE_LIMIT` failures
a username is locked at that address for the cool-off; even the right password is refused
until then. A chain manager may lift a lockout early, with axes' own reset.
"""

import ipaddress
import logging

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger(__name__)


def _minutes():
    cool_off = get_cool_off()
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def client_address(request):
    """AXES_CLIENT_IP_CALLABLE: the address a login is counted at.

    With `DJANGO_TRUSTED_PROXY_COUNT` = 0 (the default) that is the address the request came
    from; X-Forwarded-For is ignored, since anyone can send it. Behind N proxies that each
    append the address they were reached from (nginx's `$proxy_add_x_forwarded_for`), the
    N-th address from the right of X-Forwarded-For is the one the outermost trusted proxy
    saw: anything left of it was written by the client and is not believed. A header with
    fewer hops than that did not come through all the proxies, and one that is not an
    address was not written by a proxy: both count at REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.STUDIO_TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    hops = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if len(hops) < trusted:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-trusted]))
    except ValueError:  # not an address: a broken or forged header
        return remote


def lockout_message():
    minutes = _minutes()
    if not minutes:
        return _("Too many wrong passwords: this login is locked. Ask head office to unlock it.")
    return ngettext(
        "Too many wrong passwords: this login is locked for %(minutes)d minute. "
        "Try again later, or ask head office to unlock it.",
        "Too many wrong passwords: this login is locked for %(minutes)d minutes. "
        "Try again later, or ask head office to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page says why in the user's language.

    A screen that already told the user on its own form (a manager's password typed to
    approve something) keeps its own answer.
    """
    if getattr(request, "lockout_shown_on_form", False) and original_response is not None:
        return original_response
    return render(
        request, "registration/locked_out.html", {"message": lockout_message()}, status=429
    )


def manager_by_password(request, *, username, password, branch):
    """The store manager of `branch` whose username and password were typed on this screen.

    Goes through `authenticate` with the request, so a guessed manager password is counted
    and locked like a login. Raises ValidationError with what to tell the person.
    """
    user = authenticate(request, username=username, password=password)
    if user is None and getattr(request, "axes_locked_out", False):
        request.lockout_shown_on_form = True
        raise ValidationError(lockout_message(), code="locked")
    staff = getattr(user, "staff", None) if user is not None else None
    if staff is None or not staff.is_manager or branch.pk not in staff.branch_ids:
        raise ValidationError(
            _("That is not the username and password of a manager of this branch."),
            code="invalid",
        )
    return staff


def current_lockouts(now=None):
    """Username and address pairs locked now, most recent first."""
    now = now or timezone.now()
    rows = (
        AccessAttempt.objects.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=get_failure_limit(None, None))
        .order_by("-last_failure")
    )
    cool_off = get_cool_off()
    if cool_off:
        rows = rows.filter(last_failure__gt=now - cool_off)
    rows = list(rows)
    for row in rows:
        row["until"] = row["last_failure"] + cool_off if cool_off else None
    return rows


def unlock_login(*, username, ip_address, by):
    """Lift the lockout of one username at one address (axes' reset). Returns the number of
    attempt records removed."""
    username, ip_address = (username or "").strip(), (ip_address or "").strip()
    if not username and not ip_address:
        raise ValidationError(_("Say which login to unlock."))
    if ip_address:
        try:
            ip_address = str(ipaddress.ip_address(ip_address))
        except ValueError:
            raise ValidationError(_("That is not an IP address.")) from None
    removed = reset(ip=ip_address or None, username=username or None)
    log.info("Login %s at %s unlocked by %s (%d records).", username, ip_address, by, removed)
    return removed
