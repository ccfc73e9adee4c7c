"""Fragments that htmx polls, answered 304 Not Modified when nothing they show has changed.

A tablet or a board re-fetches its fragment every 20 seconds. The view computes the
fragment's version first, with one query over the rows it shows (`row_version`), and
makes an ETag of it and of everything else the fragment depends on (who asks, in which
role and language, for which address, the code that draws it). A poll that sends the same
ETag back (the browser's cache does, for the XMLHttpRequest htmx makes) gets 304 without
the fragment's own queries or its template; the browser hands htmx the copy it kept, as a
200. docs/decisions.md, "Polling", says why this check and not a change counter.
"""

import functools
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from studio.prepared import planned_once

# The headers that make an htmx poll a different answer from the page at the same address.
VARY = ("HX-Request", "HX-History-Restore-Request")


def row_version(alias: str) -> str:
    """SQL for which version of a row this is, on PostgreSQL: the transaction that wrote it
    (xmin) and its place in the table (ctid). Every UPDATE writes a new version, so the pair
    changes whatever made the change: a service, the admin, `QuerySet.update()`, raw SQL."""
    return f"{alias}.xmin::text || {alias}.ctid::text"


def read_versions(
    sql: str, params: Sequence[Any] | Mapping[str, Any]
) -> list[tuple[Any, ...]] | None:
    """The rows of a version query, sorted; None where the database keeps no row versions
    (SQLite, `make run`): polls are then answered in full."""
    if connection.vendor != "postgresql":
        return None
    # Every poll of every tablet runs it: planned once per connection (studio.prepared).
    with planned_once() as cursor:
        cursor.execute(sql, params)
        return sorted(cursor.fetchall())


@functools.cache
def release() -> str:
    """A digest of the code, templates and translations this process runs. A deploy that
    changes how a fragment looks changes its ETag, the same way on every worker and host."""
    roots = [Path(c.path) for c in apps.get_app_configs() if c.name in settings.PROJECT_APPS]
    roots += [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    roots += [Path(p) for p in settings.LOCALE_PATHS]
    digest = hashlib.blake2b(digest_size=16)
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".mo"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class PolledPage:
    """A page that htmx polls (hx-trigger="every 20s"): the poll gets only the fragment, and
    304 Not Modified when the fragment's version and the ETag the browser sends agree.

    A view sets `fragment_template_name` and returns from `fragment_version()` a value
    (with a stable repr) that changes whenever the data the fragment shows does; None
    gives no validator, and every poll renders."""

    fragment_template_name: str | None = None

    def is_poll(self):
        # htmx restoring a page from history asks for the whole page, with HX-Request too.
        htmx = self.request.htmx
        return bool(htmx) and not htmx.history_restore_request

    def get_template_names(self):
        if self.is_poll():
            return [self.fragment_template_name]
        return super().get_template_names()

    def fragment_version(self) -> object | None:
        return None

    def fragment_etag(self) -> str | None:
        """The fragment's data version with everything else it depends on. Computed before
        the fragment is drawn: a change committed in between gives the new text the old
        ETag, which the next poll finds stale, never the old text a new ETag."""
        version = self.fragment_version()
        if version is None:
            return None
        request = self.request
        staff = request.staff
        parts = [
            release(),
            request.get_full_path(),
            staff.pk,
            request.user.is_superuser,
            sorted(staff.role_set),
            request.branch.pk,
            request.branch.timezone,
            get_language(),
            # The fragment's forms carry a CSRF token, valid with this secret only.
            request.META.get("CSRF_COOKIE", ""),
            version,
        ]
        digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
        # Weak: two renderings differ in their masked CSRF tokens, not in what they say.
        return f'W/"{digest}"'

    def get(self, request, *args, **kwargs):
        etag = self.fragment_etag() if self.is_poll() else None
        response = None
        if etag is not None:
            response = get_conditional_response(request, etag=etag)
        if response is None:
            response = super().get(request, *args, **kwargs)
        if etag is not None:
            response.headers["ETag"] = etag
            # Kept by the browser only, and asked about again on every poll.
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, VARY)
        return response
