"""Every page of every role on the demo studio, in Chromium (issue 8, "Done when"): each demo
login opens every page its roles may open (from the URL patterns and the views' declared
roles, the arguments filled with the demo's records of its branch), in English and in 简体中文,
on a 1366×768 desk screen and a 768×1024 tablet. Each page answers 200 and fits the width; in
Chinese it shows no English the system wrote (a translated msgid of the catalogues, verbatim)
and no code names (`check_in`, `birthday_greeting`).

The demo is built once for the module and committed (the live server's thread reads it on its
own connection), then the database is emptied as a transactional test would."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from demo_studio import chain as demo
from studio import roles
from studio.access import declared_roles

# The marker has the test database set up; each test's own writes (a login) roll back.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DESK = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
PROJECT_APPS = tuple(settings.PROJECT_APPS)


def _pages():
    """(url name, [argument names], view) of every project page that answers GET."""
    found = []

    def walk(resolver, namespace=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, f"{namespace}{p.namespace}:" if p.namespace else namespace)
                continue
            view = p.callback
            view_class = getattr(view, "view_class", None)
            if not isinstance(p, URLPattern) or not p.name or view_class is None:
                continue
            if getattr(view, "__module__", "").split(".")[0] not in PROJECT_APPS:
                continue
            if declared_roles(view) is None or "get" not in view_class.http_method_names:
                continue
            if hasattr(view_class, "get"):
                found.append((namespace + p.name, list(p.pattern.regex.groupindex), view))

    walk(get_resolver())
    return found


def _arguments(branch):
    """For each page with URL arguments, the demo records of `branch` to open it with: a few
    per page where the record's state changes what the page shows."""
    from commissions.models import CommissionRule, Credit, SaleShare
    from followups.models import CallTask, Complaint
    from orders.models import CardEntry, LedgerEntry, Order, State, StoredValueCard
    from pickup.models import LostSlipMemo, PartialPickupMemo, PickupAppointment
    from rentals.models import DressReservation
    from shoots.models import Shoot
    from studio.models import Customer, DiscountApproval, Visit

    orders = Order.objects.filter(branch=branch).order_by("pk")

    def in_state(*states):
        return orders.filter(state__in=states)

    # The states whose order pages differ most: history, ledger, charges, the balance.
    shown = (State.BOOKED, State.SHOOTING, State.IN_PRODUCTION, State.DELIVERED, State.CANCELLED)
    numbers = [o.number for s in shown for o in in_state(s)[:1]]
    customer = Customer.objects.filter(branch=branch, orders__isnull=False).order_by("pk").first()
    receipt = LedgerEntry.objects.filter(order__branch=branch).exclude(receipt_no="").first()
    shoots = Shoot.objects.filter(branch=branch).order_by("pk")
    shoot_pks = list({s.status: s.pk for s in shoots}.values())
    pickups = PickupAppointment.objects.filter(branch=branch).order_by("pk")
    approvals = DiscountApproval.objects.filter(branch=branch)[:1]
    credits = Credit.objects.filter(branch=branch)
    shared = SaleShare.objects.filter(order__branch=branch).select_related("order")
    table = {
        "studio:visit": [[v.pk] for v in Visit.objects.filter(branch=branch)[:1]],
        "overview:customer": [[customer.pk]],
        "studio:customer_edit": [[customer.pk]],
        "followups:log_complaint": [[customer.pk]],
        "orders:sign": [[customer.pk]],
        "orders:approval_status": [[a.customer_id, a.pk] for a in approvals],
        "orders:detail": [[n] for n in numbers],
        "orders:planning_document": [[numbers[0]]],
        "orders:plan": [[numbers[0]]],
        "orders:receipt": [[receipt.order.number, receipt.receipt_no]] if receipt else [],
        "shoots:book": [[o.number] for o in in_state(State.BOOKED)[:1]],
        "shoots:detail": [[pk] for pk in shoot_pks],
        "selection:book": [[o.number] for o in in_state(State.SHOT)[:1]],
        "selection:session": [[o.number] for o in in_state(State.SELECTING)[:1]],
        "selection:confirm": [[o.number] for o in in_state(State.SELECTING)[:1]],
        "selection:photos": [[o.number] for o in in_state(State.SHOT, State.SELECTING)[:1]],
        "selection:photo_list": [[o.number] for o in in_state(State.SHOT)[:1]],
        # The demo has no photo files: the files are served in tests/selection.
        "selection:photo": [],
        "selection:production_list": [[o.number] for o in in_state(State.IN_PRODUCTION)[:1]],
        "selection:proofs": [[o.number] for o in in_state(State.IN_PRODUCTION)[:1]],
        "selection:complaint_compensation": [
            [c.pk] for c in Complaint.objects.filter(branch=branch).order_by("pk")[:2]
        ],
        "selection:delay_compensation": [
            [t.pk] for t in CallTask.objects.filter(branch=branch, kind="delay_apology")[:1]
        ],
        "couple:links": [[o.number] for o in in_state(State.IN_PRODUCTION)[:1]],
        "pickup:book": [[o.number] for o in in_state(State.READY)[:1]],
        "pickup:desk": [[p.pk] for p in pickups[:1]],
        "pickup:check": [[p.pk] for p in pickups[:1]],
        "pickup:lost_slip_pdf": [
            [m.pk] for m in LostSlipMemo.objects.filter(order__branch=branch)[:1]
        ],
        "pickup:partial_pdf": [
            [m.pk] for m in PartialPickupMemo.objects.filter(order__branch=branch)[:1]
        ],
        "orders:card": [[c.number] for c in StoredValueCard.objects.filter(branch=branch)[:1]],
        "orders:card_statement": [
            [c.number] for c in StoredValueCard.objects.filter(branch=branch)[:1]
        ],
        "orders:card_receipt": [
            [e.card.number, e.receipt_no]
            for e in CardEntry.objects.filter(branch=branch, ledger_entry=None)[:1]
        ],
        "rentals:reserve": [[o.number] for o in in_state(State.SCHEDULED)[:1]],
        "rentals:detail": [
            [r.pk] for r in DressReservation.objects.filter(branch=branch).order_by("pk")[:2]
        ],
        "commissions:staff": [[c.staff_id] for c in credits.order_by("pk")[:1]],
        "commissions:rule_edit": [[r.pk] for r in CommissionRule.objects.filter(branch=branch)[:1]],
        "commissions:shares": [[s.order.number] for s in shared.order_by("pk")[:1]],
    }
    return table


def _english_the_system_writes():
    """Literal stretches (over 12 characters) of every msgid the catalogues translate: seen
    verbatim on a Chinese page, a string was left untranslated."""
    phrases = set()
    base = Path(settings.BASE_DIR)
    for po_path in base.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"):
        if ".venv" in po_path.parts:
            continue
        for entry in polib.pofile(str(po_path)):
            translated = entry.msgstr or " ".join(entry.msgstr_plural.values())
            if not translated or entry.obsolete:
                continue
            for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
                text = re.sub(r"<[^>]+>", "\n", msgid)
                for part in re.split(r"%\(\w+\)[sdfr]|%[sdfr]|\{[^}]*\}|\n", text):
                    part = " ".join(part.split()).strip(" .,:;()·—-")
                    if len(part) > 12 and part not in translated:
                        phrases.add(part)
    return sorted(phrases)


# A snake_case word: a code name shown as it is stored.
CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")

# The page's overflow, the elements sticking out (the innermost, to name the culprit) and
# the text a reader sees, once the page has laid itself out at the new size.
MEASURE = """async () => {
  // What listens for the new size (a chart redrawing itself) has its frame first.
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const width = window.innerWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && el.offsetParent !== null
        && ![...el.children].some(c => c.getBoundingClientRect().right > width + 1)) {
      out.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
               + ' ' + (el.textContent || '').trim().slice(0, 30));
    }
  }
  return {
    overflow: document.documentElement.scrollWidth - width,
    outside: out.slice(0, 3),
    text: document.body.innerText,
  };
}"""


@pytest.fixture(scope="module")
def studio(django_db_setup, django_db_blocker):
    """The demo studio, committed for the module's live server. Afterwards the database is
    put back as it was (the roles, care rules and templates the migrations seeded included),
    so the tests that run after this module find what they would have found without it."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    from studio.models import Branch

    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        try:
            demo.build()
            branch = Branch.objects.order_by("code").first()
            arguments = _arguments(branch)
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            try:
                yield {
                    "url": server.url,
                    "arguments": arguments,
                    "english": _english_the_system_writes(),
                }
            finally:
                server._live_server_modified_settings.disable()
                server.stop()
        finally:
            # As Django's serialized rollback does: empty, then reload the rows from before
            # (content types and permissions keep their ids: no post_migrate re-creation).
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                inhibit_post_migrate=True,
                reset_sequences=False,  # the ids reloaded below stay taken
            )
            connection.creation.deserialize_db_from_string(before)


def _paths(role, arguments):
    for name, arg_names, view in _pages():
        allowed = set(declared_roles(view))
        if allowed and role not in allowed:
            continue
        if not arg_names:
            yield name, reverse(name)
            continue
        for args in arguments.get(name, []):
            yield name, reverse(name, args=args)


def _log_in(chromium, studio, username):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    context = chromium.new_context(viewport=DESK, locale="en-US")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": studio["url"],
            }
        ]
    )
    return context


def _in_chinese_reads_english(text, english):
    flat = " ".join(text.split())
    found = [phrase for phrase in english if phrase in flat]
    found += sorted(set(CODE_NAME.findall(flat)))
    return found


@pytest.mark.parametrize("role", roles.ALL)
def test_every_page_of_the_role_reads_naturally_in_both_languages(chromium, studio, role):
    context = _log_in(chromium, studio, role)
    page = context.new_page()
    page.set_default_timeout(20000)
    problems = []
    paths = list(_paths(role, studio["arguments"]))
    assert ("home", "/") in paths
    try:
        for language in ("en", "zh-hans"):
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": studio["url"]}]
            )
            for _name, path in paths:
                if path.endswith(".pdf"):
                    response = context.request.get(studio["url"] + path)
                    if response.status != 200:
                        problems.append((language, path, f"status {response.status}"))
                    continue
                page.set_viewport_size(DESK)
                response = page.goto(studio["url"] + path)
                if response.status != 200:
                    problems.append((language, path, f"status {response.status}"))
                    continue
                for size in (DESK, TABLET):
                    page.set_viewport_size(size)
                    measured = page.evaluate(MEASURE)
                    if measured["overflow"] > 1:
                        over = f"{measured['overflow']}px too wide at {size['width']}"
                        over += f": {measured['outside']}"
                        problems.append((language, path, over))
                    if language == "zh-hans" and size == DESK:
                        english = _in_chinese_reads_english(measured["text"], studio["english"])
                        if english:
                            problems.append((language, path, english))
    finally:
        context.close()
    assert problems == [], "\n".join(map(str, problems))
