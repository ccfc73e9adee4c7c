"""A simulated busy day (issue 11, item 4): the staff of every branch at work at once, through
the pages of the production server, for a bounded time; then the journey's invariants on
what they did.

    python -m bench busy        # the last step of `python -m bench` and `make bench`

It runs on a throwaway copy of the dataset (CREATE DATABASE <BENCH_DB>_busy TEMPLATE
<BENCH_DB>, dropped at the end), so the pages are always timed on the dataset as built. The
server is bench.pages' (gunicorn with deploy/gunicorn.conf.py, DEBUG off, sessions in Redis).
Each member of staff logs in through the login page and works as a browser does: GET the
page, read its form (hidden fields, CSRF token, the choices offered), POST it, follow the
redirect and read the flash message; htmx requests carry HX-Request, as htmx sends them.

Staff per branch (BENCH_BUSY_STAFF of them, taken in this order):
  receptionist     walk-ins (the phone searched as typed, the visit registered, the
                   consultation closed as booked or not, the planning document signed with a
                   deposit) and payments towards booked orders on the order page
  dispatcher       books shoots from the control sheet (today when a crew is free, else a
                   later day), checks couples in (balance and locker-key deposit taken),
                   hands them to the dress stylist, finishes shoots (key back, deposit
                   refunded) and books their selection; the dispatcher's wall screen polls
                   the board every BENCH_BUSY_POLL s (not counted as staff)
  consultant       marks the image files, starts the selection, picks in three passes,
                   confirms (the customer signs, the upsell is paid) and sends the list to
                   production
  pickup clerk     the desk: the slip, the balance, now and then an extra (the third sale),
                   every item, the survey, delivered
  field staff      makeup artist, dress stylist, photographer, assistant: tablets polling
                   every BENCH_BUSY_POLL s; a couple with them is handed on at the next poll
  then a second receptionist, second field staff, a second consultant, ...

Each pauses about BENCH_BUSY_THINK s after each page (5: a person reads the page and fills in
the form; lower it for a stress test). One press in BENCH_BUSY_DOUBLE of the buttons that
must act once (register, sign, pay, sell an extra, check in, hand off, finish, start,
confirm, send, deliver) is pressed twice at once, as a double click or a second tablet does.

The work comes from the dataset (per branch: booked orders, today's planned shoots and those
under way, orders shot, orders ready with a pickup booked) and from the run itself: a
walk-in signed at the desk is booked by the dispatcher, today when a crew is free, checked
in, handed on by the tablets, finished, and chosen by the consultant.

Errors must be 0: any answer other than the one a person doing it right gets (the first ones
are printed with status and text). Then, on the copy, what the staff were told must be what
the database holds:
  - no person, room or vehicle booked twice, no consultant holding two sessions at once,
    no dress reserved twice (overlap queries over the rows the run wrote);
  - each order's new ledger entries add up to the payments the staff took (the amounts they
    typed or were shown), holds to the locker deposits taken less those refunded; each
    payment form's request key has one entry; no order owes less than nothing; receipt
    numbers of each branch run on without gaps;
  - the state log has exactly one transition per button press that reported success (a
    double press: one success, one "already done");
  - no duplicate customers or orders from repeated submissions, one visit per registration,
    one hand-off per tap;
  - and the dataset's own invariants (bench.checks) still hold.

Results: a table per flow (runs, requests, p50/p95 of its requests, p95 of a whole flow,
errors), the overall requests per second, var/bench/busy.json. Exit status 1 on any error or
broken invariant.

BENCH_BUSY_SECONDS (120), BENCH_BUSY_STAFF (9 per branch), BENCH_BUSY_BRANCHES (0: all),
BENCH_BUSY_THINK (5 s), BENCH_BUSY_POLL (20 s), BENCH_BUSY_DOUBLE (0.1).
"""

import itertools
import json
import logging
import os
import random
import re
import threading
import time
import traceback
from collections import Counter, defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from html import unescape
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import psycopg
from django.conf import settings

from . import pages
from .names import person_name

ZERO = Decimal("0.00")
METHODS = ("cash", "card", "wechat", "alipay")


@dataclass(frozen=True)
class Scenario:
    seconds: float = 120.0
    staff: int = 9  # per branch
    branches: int = 0  # 0: all of them
    think: float = 5.0
    poll: float = 20.0
    double: float = 0.1
    seed: int = 2026

    @classmethod
    def from_env(cls, **given):
        env = os.environ.get
        values = {
            "seconds": float(env("BENCH_BUSY_SECONDS", "120")),
            "staff": int(env("BENCH_BUSY_STAFF", "9")),
            "branches": int(env("BENCH_BUSY_BRANCHES", "0")),
            "think": float(env("BENCH_BUSY_THINK", "5")),
            "poll": float(env("BENCH_BUSY_POLL", "20")),
            "double": float(env("BENCH_BUSY_DOUBLE", "0.1")),
        }
        values.update({k: v for k, v in given.items() if v is not None})
        return cls(**values)


# --- Pages as a browser reads them: forms, flash messages, amounts ---

_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_CONTROL = re.compile(
    r"<input\b([^>]*)>|<(select|textarea|button)\b([^>]*)>(.*?)</\2>", re.S | re.I
)
_OPTION = re.compile(r"<option\b([^>]*)>(.*?)</option>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
_FLASH = re.compile(
    r'<div class="alert alert-(\w+) alert-dismissible[^"]*" role="alert">(.*?)<button', re.S
)
_FIELD_ERRORS = re.compile(
    r'<(?:div|span|p)[^>]*class="[^"]*(?:invalid-feedback|alert-danger|text-danger)[^"]*"[^>]*>'
    r"(.*?)</(?:div|span|p)>",
    re.S,
)
_MONEY = re.compile(r"-?¥[\d,]+\.\d\d")


def _attrs(text):
    found = {}
    for m in _ATTR.finditer(text):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        found.setdefault(m.group(1).lower(), unescape(value))
    return found


def text_of(html):
    return " ".join(unescape(_TAGS.sub(" ", html)).split())


def money(text):
    return Decimal(text.replace("¥", "").replace(",", ""))


def amounts(html):
    """The amounts of money written in `html`, in order."""
    return [money(m) for m in _MONEY.findall(html)]


@dataclass
class Form:
    action: str
    attrs: dict
    fields: list  # (name, value) as a browser would send the form untouched
    choices: dict  # name -> [(value, label)] of the selects, radios and checkboxes

    def options(self, name):
        return [(v, label) for v, label in self.choices.get(name, []) if v]

    def fill(self, values):
        """The form as filled in: each of `values` replaces the fields of its name (a list
        for several values, None to leave the field out)."""
        pairs = [(n, v) for n, v in self.fields if n not in values]
        for name, value in values.items():
            if value is None:
                continue
            for v in value if isinstance(value, (list, tuple)) else [value]:
                pairs.append((name, str(v)))
        return pairs


def forms_in(html):
    found = []
    for m in _FORM.finditer(html):
        attrs, fields, choices = _attrs(m.group(1)), [], {}
        for c in _CONTROL.finditer(m.group(2)):
            if c.group(1) is not None:
                a = _attrs(c.group(1))
                name, kind = a.get("name"), a.get("type", "text").lower()
                if not name or kind in ("submit", "button", "image", "reset", "file"):
                    continue
                if kind in ("checkbox", "radio"):
                    value = a.get("value", "on")
                    choices.setdefault(name, []).append((value, ""))
                    if "checked" in a:
                        fields.append((name, value))
                else:
                    fields.append((name, a.get("value", "")))
                continue
            tag, a, inner = c.group(2).lower(), _attrs(c.group(3)), c.group(4)
            name = a.get("name")
            if not name or tag == "button":
                continue
            if tag == "textarea":
                fields.append((name, unescape(inner[1:] if inner.startswith("\n") else inner)))
                continue
            options = [(_attrs(o.group(1)), text_of(o.group(2))) for o in _OPTION.finditer(inner)]
            values = [(oa.get("value", label), label) for oa, label in options]
            choices[name] = values
            picked = [
                v for (oa, _l), (v, _x) in zip(options, values, strict=True) if "selected" in oa
            ]
            if "multiple" in a:
                fields += [(name, v) for v in picked]
            elif values:
                fields.append((name, (picked or [values[0][0]])[0]))
        found.append(Form(attrs.get("action", ""), attrs, fields, choices))
    return found


@dataclass
class Page:
    path: str
    html: str

    def form(self, action=None, testid=None):
        for f in forms_in(self.html):
            if testid is not None and f.attrs.get("data-testid") == testid:
                return f
            if action is not None and action in f.action:
                return f
        return None

    def with_field(self, name):
        """The form that has a field `name` (forms without an action post to the page)."""
        for f in forms_in(self.html):
            if name in f.choices or any(n == name for n, _v in f.fields):
                return f
        raise Failure(f"no form with {name} on {self.path}", 200, self.html)

    def needs(self, action=None, testid=None):
        found = self.form(action=action, testid=testid)
        if found is None:
            raise Failure(f"no form {action or testid} on {self.path}", 200, self.html)
        return found

    @property
    def flashes(self):
        return [(level, text_of(body)) for level, body in _FLASH.findall(self.html)]

    def flashed(self, level):
        return [text for lvl, text in self.flashes if lvl == level]


def snippet(html, limit=300):
    """What a person would read as the reason: the flash messages and the errors at the
    fields, else the start of the page's text."""
    if not html:
        return ""
    page = Page("", html)
    said = [t for lvl, t in page.flashes if lvl in ("danger", "warning")]
    said += [text_of(t) for t in _FIELD_ERRORS.findall(html)]
    said = [s for s in said if s]
    text = " | ".join(said) if said else text_of(html)
    return text[:limit]


class Failure(Exception):
    """An answer other than the one a person doing it right gets."""

    def __init__(self, what, status=None, html="", detail=None):
        self.what = what
        self.status = status
        self.snippet = detail if detail is not None else snippet(html)
        super().__init__(f"{what} ({status}): {self.snippet}")


class Nothing(Exception):
    """The flow found no work to do (no free crew, an empty queue): not an error."""


# --- One device of one member of staff ---


@dataclass
class Run:
    """One run of a flow: its requests' times."""

    name: str
    seconds: list = field(default_factory=list)


def _store_cookies(response, jar):
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        value, _, params = rest.partition(";")
        name, value = name.strip(), value.strip()
        if value in ("", '""') or "max-age=0" in params.lower():
            jar.pop(name, None)
        else:
            jar[name] = value


def _path_of(location):
    parts = urlsplit(location)
    return urlunsplit(("", "", parts.path, parts.query, ""))


class Browser:
    """A member of staff's browser: their session's cookies (kept by hand: they are Secure,
    and nginx ends TLS in front of gunicorn), one keep-alive connection, the CSRF headers
    a browser sends, and each request's time added to the flow it belongs to."""

    def __init__(self, base, jar, run=None):
        self.base = base
        self.origin = base.replace("http://", "https://")
        self.jar = dict(jar)
        self.run = run
        # Idle connections are dropped before gunicorn's keep-alive (5 s) ends them: a
        # request sent on a connection the server is closing would be lost (a browser
        # retries it; behind nginx it never happens).
        self.http = httpx.Client(
            base_url=base,
            headers=pages.HEADERS,
            timeout=120,
            limits=httpx.Limits(keepalive_expiry=3.0),
        )

    def twin(self):
        """The same session on a second connection: the other finger of a double press."""
        return Browser(self.base, self.jar, self.run)

    def close(self):
        self.http.close()

    def send(self, method, path, *, data=None, htmx=False, referer=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        if htmx:
            headers["HX-Request"] = "true"
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
        body = None
        if data is not None:
            body = {}
            for name, value in data:
                body.setdefault(name, []).append(value)
        started = time.perf_counter()
        try:
            response = self.http.request(method, path, data=body, headers=headers)
            response.read()
        except httpx.HTTPError as exc:
            raise Failure(f"{method} {path}", None, detail=repr(exc)) from exc
        finally:
            if self.run is not None:
                self.run.seconds.append(time.perf_counter() - started)
        _store_cookies(response, self.jar)
        return response

    def get(self, path, *, htmx=False):
        r = self.send("GET", path, htmx=htmx)
        if r.status_code != 200:
            raise Failure(f"GET {path}", r.status_code, r.text)
        return Page(path, r.text)

    def post(self, path, data, *, referer, htmx=False, expect=302):
        r = self.send("POST", path, data=data, htmx=htmx, referer=referer)
        if r.status_code != expect:
            raise Failure(f"POST {path}", r.status_code, r.text)
        return r

    def submit(self, page, form, values=None, *, htmx=False, expect=302):
        """Fill in `form` of `page` and send it; follow the redirect as a browser does."""
        action = form.action or page.path
        r = self.post(action, form.fill(values or {}), referer=page.path, htmx=htmx, expect=expect)
        if r.status_code in (301, 302, 303):
            return self.get(_path_of(r.headers["location"]))
        return Page(action, r.text)


# --- What the staff were told they did, for the checks afterwards ---


class Told:
    def __init__(self):
        self.lock = threading.Lock()
        self.paid = defaultdict(Decimal)  # order number -> money taken
        self.holds = defaultdict(Decimal)  # order number -> deposits held less refunded
        self.transitions = Counter()  # order number -> presses that moved it
        self.keys = {}  # a payment form's request key -> (order number, amount)
        self.visits = 0
        self.handoffs = 0
        self.signed = Counter()  # customer pk -> orders signed
        self.selections = set()  # orders whose selection the run booked
        self.payments = 0

    def paid_in(self, number, amount, key=None):
        with self.lock:
            if key is not None:
                if key in self.keys:
                    return
                self.keys[key] = (number, amount)
            self.paid[number] += amount
            self.payments += 1

    def held(self, number, amount):
        with self.lock:
            self.holds[number] += amount

    def moved(self, number):
        with self.lock:
            self.transitions[number] += 1

    def count_signed(self, customer):
        with self.lock:
            self.signed[customer] += 1

    def count(self, name, n=1):
        with self.lock:
            setattr(self, name, getattr(self, name) + n)


class Tally:
    """Per flow: runs, request times, whole-flow times, errors (the first ones kept)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.flows = {}
        self.failures = []
        self.requests = 0

    def add(self, run, failure=None, nothing=False):
        with self.lock:
            entry = self.flows.setdefault(
                run.name, {"runs": 0, "idle": 0, "errors": 0, "requests": [], "flows": []}
            )
            entry["requests"] += run.seconds
            self.requests += len(run.seconds)
            if failure is not None:
                entry["errors"] += 1
                if len(self.failures) < 20:
                    self.failures.append(
                        {"flow": run.name, "what": failure.what, "status": failure.status,
                         "text": failure.snippet}
                    )  # fmt: skip
            elif nothing:
                entry["idle"] += 1
            else:
                entry["runs"] += 1
                entry["flows"].append(sum(run.seconds))

    @property
    def errors(self):
        return sum(e["errors"] for e in self.flows.values())


def _pct(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(len(ordered) * p) - 1))] * 1000, 1)


# --- Each branch's work, from the dataset and from the run ---


@dataclass(eq=False)
class Desk:
    code: str
    pk: int
    tz: object
    locker_deposit: Decimal
    booked: deque  # orders waiting for their shoot (the dispatcher's)
    to_pay: deque  # booked orders with a balance (the receptionists')
    planned: deque  # (shoot pk, order number): today's, to check in
    under_way: list  # [finish at (monotonic), shoot pk, order number]
    shot: deque  # (order number, appointment day or None)
    ready: deque  # (order number, appointment pk, appointment day)
    tablets: set = field(default_factory=set)  # staff pks with a simulated tablet
    finishing: set = field(default_factory=set)  # shoots the dispatcher is finishing
    consultant: int | None = None
    slots: itertools.count = field(default_factory=itertools.count)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self):
        return datetime.now(self.tz)

    def today(self):
        return self.now().date()

    def take(self, queue):
        with self.lock:
            return queue.popleft() if queue else None

    def due_shoot(self):
        """A shoot under way whose time is up, for the dispatcher to finish."""
        now = time.monotonic()
        with self.lock:
            for entry in self.under_way:
                if entry[0] <= now:
                    self.under_way.remove(entry)
                    return entry[1], entry[2]
        return None


ROSTER = [
    ("receptionist", "receptionist"),
    ("dispatcher", "dispatcher"),
    ("consultant", "selection_consultant"),
    ("pickup", "pickup_clerk"),
    ("tablet", "makeup_artist"),
    ("tablet", "dress_stylist"),
    ("tablet", "photographer"),
    ("tablet", "assistant"),
    ("receptionist", "receptionist2"),
    ("tablet", "makeup_artist2"),
    ("tablet", "dress_stylist2"),
    ("tablet", "photographer2"),
    ("tablet", "assistant2"),
    ("consultant", "selection_consultant2"),
    ("receptionist", "receptionist3"),
    *[("tablet", f"{r}{n}") for n in (3, 4) for r in
      ("makeup_artist", "dress_stylist", "photographer", "assistant")],
]  # fmt: skip


def desks_and_staff(scenario, rng):
    """Each branch's desk of work and who works there: [(desk, [(kind, username, staff pk)])]."""
    from orders.models import Order, State
    from pickup.models import PickupAppointment
    from shoots.models import Shoot
    from studio.models import Branch, Staff

    branches = list(Branch.objects.order_by("code"))
    if scenario.branches:
        branches = branches[: scenario.branches]
    known = dict(Staff.objects.values_list("user__username", "pk"))
    finish_window = max(2.0, scenario.seconds * 0.8)
    result = []
    for branch in branches:
        tz, today = branch.tzinfo, branch.today()
        start = datetime.combine(today, clock.min, tz)
        orders = Order.objects.filter(branch=branch)
        booked = list(
            orders.filter(state=State.BOOKED)
            .order_by("-signed_at")
            .values_list("number", flat=True)[:300]
        )
        planned = list(
            Shoot.objects.filter(
                branch=branch,
                status=Shoot.Status.PLANNED,
                starts_at__gte=start,
                starts_at__lt=start + timedelta(days=1),
                order__state=State.SCHEDULED,
            )
            .order_by("starts_at")
            .values_list("pk", "order__number")
        )
        under_way = [
            [time.monotonic() + rng.uniform(0.3, 1.0) * finish_window, pk, number]
            for pk, number in Shoot.objects.filter(
                branch=branch, status=Shoot.Status.CHECKED_IN, order__state=State.SHOOTING
            ).values_list("pk", "order__number")
        ]
        shot = [
            (number, at.astimezone(tz).date() if at else None)
            for number, at in orders.filter(state=State.SHOT)
            .order_by("selection__appointment_at")
            .values_list("number", "selection__appointment_at")
        ]
        ready = [
            (number, pk, at.astimezone(tz).date())
            for number, pk, at in PickupAppointment.objects.filter(
                branch=branch,
                status=PickupAppointment.Status.BOOKED,
                order__state=State.READY,
            )
            .order_by("starts_at")
            .values_list("order__number", "pk", "starts_at")
        ]
        desk = Desk(
            code=branch.code,
            pk=branch.pk,
            tz=tz,
            locker_deposit=branch.locker_deposit,
            booked=deque(booked[0::2]),
            to_pay=deque(booked[1::2]),
            planned=deque(planned),
            under_way=under_way,
            shot=deque(shot),
            ready=deque(ready),
        )
        people = []
        for kind, role in ROSTER:
            username = f"{role}_{branch.code}"
            if username in known and len(people) < scenario.staff:
                people.append((kind, username, known[username]))
                if kind == "tablet":
                    desk.tablets.add(known[username])
                if kind == "consultant" and desk.consultant is None:
                    desk.consultant = known[username]
        result.append((desk, people))
    return result


# --- The staff ---


class Person(threading.Thread):
    def __init__(self, world, desk, username, jar):
        super().__init__(name=username, daemon=True)
        self.world = world
        self.desk = desk
        self.username = username
        self.browser = Browser(world.base, jar)
        self.rng = random.Random(f"{world.scenario.seed}:{username}")

    def run(self):
        try:
            while not self.world.over():
                if not self.work():
                    self.pause(2)
        except Exception:  # noqa: BLE001 - a slip of the client itself is an error too
            failure = Failure(self.username, None, detail=traceback.format_exc(limit=3)[-300:])
            self.world.tally.add(Run("(the client)"), failure=failure)
        finally:
            self.browser.close()

    def work(self):
        """One flow; False when there was nothing to do."""
        raise NotImplementedError

    def pause(self, factor=1.0):
        if self.world.over():
            return
        time.sleep(self.world.scenario.think * factor * self.rng.uniform(0.5, 1.5))

    @contextmanager
    def flow(self, name):
        run = Run(name)
        self.browser.run = run
        try:
            yield run
        except Nothing:
            self.world.tally.add(run, nothing=True)
        except Failure as failure:
            self.world.tally.add(run, failure=failure)
        except Exception:  # noqa: BLE001 - the client's own slip counts as an error too
            failure = Failure(name, None, detail=traceback.format_exc(limit=3)[-300:])
            self.world.tally.add(run, failure=failure)
        else:
            self.world.tally.add(run)
        finally:
            self.browser.run = None

    def press(self, page, form, values=None, *, once=True):
        """Press a button: once, or (one press in BENCH_BUSY_DOUBLE) twice at once. With
        `once`, exactly one press must report success and a second one "already done"
        (a warning). Returns the pages the presses ended on, the successful one first."""
        if self.rng.random() >= self.world.scenario.double:
            result = self.browser.submit(page, form, values)
            if once and not result.flashed("success"):
                raise Failure(f"{form.action or page.path}: no success", 200, result.html)
            return [result]
        twin = self.browser.twin()
        results, failures = [None, None], []

        def tap(i, browser):
            try:
                results[i] = browser.submit(page, form, values)
            except Failure as failure:
                failures.append(failure)

        threads = [threading.Thread(target=tap, args=(i, b)) for i, b in enumerate((self.browser, twin))]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        twin.close()
        if failures:
            raise failures[0]
        results.sort(key=lambda p: not p.flashed("success"))
        if once:
            done = [p for p in results if p.flashed("success")]
            if len(done) != 1 or not results[1].flashed("warning"):
                what = f"{form.action or page.path} pressed twice"
                raise Failure(what, 200, detail=f"{[p.flashes for p in results]}"[:300])
        return results


class Receptionist(Person):
    def work(self):
        if self.desk.to_pay and self.rng.random() < 0.35:
            return self.payment()
        return self.walk_in()

    def walk_in(self):
        world, rng = self.world, self.rng
        booked, after = False, None
        with self.flow("walk-in: register, consult"):
            page = self.browser.get("/studio/visits/new/")
            phone = world.new_phone()
            for typed in (phone[:4], phone):
                self.browser.get(
                    "/studio/customers/search/?" + urlencode({"pick": 1, "q": typed}), htmx=True
                )
            self.pause()
            form = page.with_field("bride_phone")
            sources = [v for v, _l in form.options("source") if v != "referral"]
            values = {
                "bride_name": person_name(rng),
                "bride_phone": phone,
                "groom_name": person_name(rng),
                "groom_phone": "",
                "kind": "walk_in",
                "source": rng.choice(sources),
                "reason": "",
            }
            visit = self.register(page, form, values)
            world.told.count("visits")
            self.pause()
            consult = visit.with_field("outcome")
            booked = rng.random() < 0.7
            shown = [v for v, _l in consult.options("packages_shown")]
            values = {
                "outcome": "booked" if booked else "not_booked",
                "not_booked_reason": "" if booked else "想再比较一下 Comparing other studios",
                "not_booked_because": "" if booked else "comparing",
                "budget": rng.choice(["8000", "12000", "20000"]),
                "packages_shown": rng.sample(shown, min(2, len(shown))),
            }
            after = self.browser.submit(visit, consult, values)
            if not after.flashed("success"):
                raise Failure("consultation: no success", 200, after.html)
        if booked and after is not None and after.path.startswith("/orders/sign/"):
            self.pause()
            self.sign(after)
        return True

    def register(self, page, form, values):
        """The visit form, pressed once or twice: the couple is filed once, the second press
        is told they are on file (400, the duplicate box)."""
        if self.rng.random() >= self.world.scenario.double:
            visit = self.browser.submit(page, form, values)
            if not visit.flashed("success"):
                raise Failure("visit: no success", 200, visit.html)
            return visit
        twin = self.browser.twin()
        answers = [None, None]

        def tap(i, browser):
            with suppress(Failure):
                answers[i] = browser.send(
                    "POST", page.path, data=form.fill(values), referer=page.path
                )

        threads = [threading.Thread(target=tap, args=(i, b)) for i, b in enumerate((self.browser, twin))]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        twin.close()
        codes = sorted(a.status_code if a is not None else 0 for a in answers)
        refused = next((a for a in answers if a is not None and a.status_code == 400), None)
        if codes != [302, 400] or 'data-testid="duplicate"' not in refused.text:
            raise Failure("visit registered twice", codes, detail=str(codes))
        done = next(a for a in answers if a.status_code == 302)
        return self.browser.get(_path_of(done.headers["location"]))

    def sign(self, page):
        rng = self.rng
        with self.flow("sign with a deposit"):
            form = page.needs(testid="sign-form")
            customer = int(page.path.rstrip("/").rsplit("/", 1)[1])
            # At most the cheapest package's price (1,999).
            deposit = Decimal(rng.choice(["500.00", "1000.00", "1500.00"]))
            values = {
                "package": rng.choice([v for v, _l in form.options("package")]),
                "discount": "0",
                "deposit": str(deposit),
                "deposit_method": rng.choice(METHODS),
                "style_wishes": rng.choice(["", "森系 Forest", "复古 Retro"]),
            }
            results = self.press(page, form, values, once=False)
            numbers = {p.path.strip("/").split("/")[1] for p in results}
            if len(numbers) != 1 or not all(p.path.startswith("/orders/") for p in results):
                raise Failure("signed twice", 200, detail=f"ended on {[p.path for p in results]}")
            for p in results:
                if not p.flashed("success"):
                    raise Failure("signing: no success", 200, p.html)
            number = numbers.pop()
            self.world.told.paid_in(number, deposit, key=_value(form, "request_key"))
            self.world.told.count_signed(customer)
            with self.desk.lock:
                self.desk.booked.append(number)
        return True

    def payment(self):
        number = self.desk.take(self.desk.to_pay)
        if number is None:
            return False
        rng = self.rng
        with self.flow("payment on the order page"):
            page = self.browser.get(f"/orders/{number}/")
            due = _balance(page)
            if due <= ZERO:
                raise Nothing
            self.pause()
            form = page.needs(testid="payment-form")
            amount = min(due, Decimal(rng.choice(["500.00", "1000.00", "2000.00"])))
            values = {"kind": "balance", "method": rng.choice(METHODS), "amount": str(amount)}
            results = self.press(page, form, values, once=False)
            receipts = {_receipt(p) for p in results}
            if len(receipts) != 1 or None in receipts:
                raise Failure("payment taken twice", 200, detail=f"receipts {receipts}")
            self.world.told.paid_in(number, amount, key=_value(form, "request_key"))
            if due > amount:
                with self.desk.lock:
                    self.desk.to_pay.append(number)
        return True


def _value(form, name):
    return next((v for n, v in form.fields if n == name), None)


def _balance(page):
    m = re.search(r'data-testid="balance">(.*?)</dd>', page.html, re.S)
    found = amounts(m.group(1)) if m else []
    if not found:
        raise Failure("no balance on the order page", 200, page.html)
    return found[0]


_RECEIPT = re.compile(r"\b[A-Z0-9]+-R\d{7}\b")


def _receipt(page):
    for text in page.flashed("success"):
        m = _RECEIPT.search(text)
        if m:
            return m.group(0)
    return None


class Dispatcher(Person):
    def work(self):
        desk = self.desk
        due = desk.due_shoot()
        if due is not None:
            return self.finish(*due)
        planned = desk.take(desk.planned)
        if planned is not None:
            return self.check_in(*planned)
        number = desk.take(desk.booked)
        if number is not None:
            return self.book(number)
        return False

    def book(self, number):
        desk, rng = self.desk, self.rng
        with self.flow("book a shoot"):
            self.browser.get("/shoots/")
            self.pause()
            now = desk.now()
            soon = (now + timedelta(minutes=20 + 5 - now.minute % 5)).replace(
                second=0, microsecond=0
            )
            tries = []
            if not desk.planned and soon.date() == now.date() and soon.hour < 22:
                tries.append((soon.date(), soon.strftime("%H:%M")))
            for _ in range(3):
                day = now.date() + timedelta(days=rng.randint(1, 40))
                tries.append((day, rng.choice(["09:00", "13:30", "15:00"])))
            for day, at in tries[:3]:
                path = f"/shoots/book/{number}/?" + urlencode({"date": day.isoformat(), "time": at})
                page = self.browser.get(path)
                form = page.with_field("photographer")
                values = self.crew(form)
                if values is None:
                    continue
                # Less than 7 x 24 hours ahead is short notice (shoots.services.book_shoot):
                # a day a week ahead is short notice in the evening, not in the morning.
                starts = datetime.combine(day, clock.fromisoformat(at), tzinfo=now.tzinfo)
                short = starts - now < timedelta(days=settings.STUDIO_MIN_BOOKING_LEAD_DAYS)
                values["short_notice_confirmed"] = "on" if short else None
                self.pause()
                shoot = self.browser.submit(page, form, values)
                if not shoot.flashed("success") or not re.fullmatch(r"/shoots/\d+/", shoot.path):
                    raise Failure("booking: no success", 200, shoot.html)
                self.world.told.moved(number)
                if day == now.date():
                    with desk.lock:
                        desk.planned.append((int(shoot.path.split("/")[2]), number))
                return True
            with desk.lock:
                desk.booked.append(number)
            raise Nothing

    def crew(self, form):
        """The people and the room offered as free, the branch's tablets first; None when
        no photographer or studio room is free then."""
        values = {}
        for seat in ("photographer", "makeup_artist", "dress_stylist", "assistant"):
            free = form.options(seat)
            if not free:
                if seat == "photographer":
                    return None
                continue
            with_tablet = [v for v, _l in free if int(v) in self.desk.tablets]
            values[seat] = (with_tablet or [free[0][0]])[0]
        rooms = [v for v, label in form.options("room") if "外景" not in label and "outdoor" not in label.lower()]  # fmt: skip
        if not rooms:
            return None
        values["room"] = rooms[0]
        return values

    def check_in(self, pk, number):
        desk = self.desk
        with self.flow("check in"):
            self.browser.get("/shoots/")
            page = self.browser.get(f"/shoots/{pk}/")
            form = page.form(action=f"/shoots/{pk}/check-in/")
            if form is None:
                raise Nothing  # no longer planned (moved by someone, or already in)
            card = page.html[page.html.find("col-12 col-lg-7") : page.html.find(f"/shoots/{pk}/check-in/")]  # fmt: skip
            due = amounts(card)[0] if 'class="text-danger"' in card else ZERO
            self.pause()
            values = {
                "locker_key": f"A{pk % 90 + 10}",
                "deposit_method": "cash",
                "balance_method": self.rng.choice(METHODS) if due > 0 else "",
                "briefed": "on",
            }
            after = self.press(page, form, values)[0]
            self.world.told.moved(number)
            if due > 0:
                self.world.told.paid_in(number, due)
            self.world.told.held(number, desk.locker_deposit)
            self.pause()
            hand = after.form(action=f"/shoots/{pk}/hand-off/")
            if hand is not None:
                self.press(after, hand)
                self.world.told.count("handoffs")
            length = max(2.0, self.world.scenario.seconds * 0.35)
            with desk.lock:
                desk.under_way.append([time.monotonic() + length, pk, number])
        return True

    def finish(self, pk, number):
        desk = self.desk
        with self.flow("finish, book the selection"):
            with desk.lock:
                desk.finishing.add(pk)
            page = self.browser.get(f"/shoots/{pk}/")
            form = page.form(action=f"/shoots/{pk}/finish/")
            if form is None:
                raise Nothing
            holds = bool(form.choices.get("key_returned"))
            self.pause()
            values = {"key_returned": "yes", "deposit_method": "cash"} if holds else {}
            after = self.press(page, form, values)[0]
            self.world.told.moved(number)
            if holds:
                self.world.told.held(number, -desk.locker_deposit)
            booking = after.form(testid="selection-form")
            if booking is None:
                raise Failure("no selection booking after the finish", 200, after.html)
            slot = next(desk.slots)
            day = desk.today() + timedelta(days=1 + slot // 3)
            consultant = (
                str(desk.consultant) if desk.consultant else booking.options("consultant")[0][0]
            )
            values = {"date": day.isoformat(), "time": ("18:00", "20:00", "22:00")[slot % 3],
                      "consultant": consultant}  # fmt: skip
            self.pause()
            done = self.browser.submit(after, booking, values)
            if not done.flashed("success"):
                raise Failure("selection booking: no success", 200, done.html)
            self.world.told.selections.add(number)
            with desk.lock:
                desk.shot.append((number, day))
        return True


class Screen(Person):
    """The dispatcher's wall screen: the board, reloaded by htmx every BENCH_BUSY_POLL s."""

    def run(self):
        try:
            time.sleep(self.rng.uniform(0, self.world.scenario.poll))
            first = True
            while not self.world.over():
                with self.flow("board poll (htmx)" if not first else "board"):
                    self.browser.get("/shoots/board/", htmx=not first)
                first = False
                self.world.sleep(self.world.scenario.poll)
        finally:
            self.browser.close()


class Tablet(Person):
    """Field staff: the queue polled every BENCH_BUSY_POLL s; a couple with them is handed
    on at the poll after the one that showed them arriving."""

    def run(self):
        seen = {}
        try:
            time.sleep(self.rng.uniform(0, self.world.scenario.poll))
            first = True
            while not self.world.over():
                with self.flow("tablet" if first else "tablet poll (htmx)"):
                    page = self.browser.get("/shoots/tablet/", htmx=not first)
                first = False
                for form in forms_in(page.html):
                    if not form.action.endswith("/hand-off/"):
                        continue
                    key = (form.action, _value(form, "plan_line"))
                    if seen.setdefault(key, 0) < 1:
                        seen[key] += 1
                        continue
                    shoot = int(form.action.split("/")[2])
                    if shoot in self.desk.finishing:
                        continue
                    with self.flow("hand-off (tablet)"):
                        try:
                            self.press(Page("/shoots/tablet/", page.html), form)
                        except Failure:
                            if shoot in self.desk.finishing:
                                # The dispatcher finished the shoot meanwhile: the page
                                # says so (an error message), as it should.
                                raise Nothing from None
                            raise
                        self.world.told.count("handoffs")
                    break
                self.world.sleep(self.world.scenario.poll)
        finally:
            self.browser.close()


class Consultant(Person):
    def work(self):
        item = self.desk.take(self.desk.shot)
        if item is None:
            return False
        return self.selection(*item)

    def selection(self, number, day):
        rng, told = self.rng, self.world.told
        with self.flow("selection: files, picks, confirm, send"):
            if day is None:
                day = self.book(number)
            sheet = self.browser.get(f"/selection/?date={day.isoformat()}")
            files = sheet.form(action=f"/selection/files/{number}/")
            if files is None:
                raise Failure(f"{number} not on the viewing sheet of {day}", 200, sheet.html)
            prefix = next(n for n, _v in files.fields if n.endswith("photo_count")).rsplit("-", 1)[
                0
            ]
            photos = int(_value(files, f"{prefix}-photo_count") or 0) or 80
            if not (_value(files, f"{prefix}-transferred") and _value(files, f"{prefix}-complete")):
                self.pause()
                values = {f"{prefix}-transferred": "on", f"{prefix}-complete": "on",
                          f"{prefix}-photo_count": str(photos)}  # fmt: skip
                after = self.browser.submit(sheet, files, values)
                if not after.flashed("success"):
                    raise Failure("files: no success", 200, after.html)
            session_path = f"/selection/session/{number}/"
            session = self.browser.get(session_path)
            self.pause()
            start = session.needs(action=f"{session_path}start/")
            session = self.press(session, start)[0]
            told.moved(number)
            confirmed = rng.randint(15, 40)
            for kind, count in (("first", confirmed + 15), ("keep", confirmed + 5), ("confirmed", confirmed)):  # fmt: skip
                self.pause()
                picks = session.needs(action=f"{session_path}picks/")
                values = {"pass_kind": kind, "numbers": f"1-{min(count, photos)}",
                          "retouch": "on", "action": "pick"}  # fmt: skip
                fragment = self.browser.submit(session, picks, values, htmx=True, expect=200)
                if "is-invalid" in fragment.html or "numbers-error" in fragment.html:
                    raise Failure(f"picks ({kind}) refused", 200, fragment.html)
            confirm = self.browser.get(f"{session_path}confirm/")
            total = _upsell(confirm)
            self.pause()
            form = confirm.needs(testid="confirm-form")
            method = rng.choice(METHODS)
            values = {"customer_signed": "on", "waive_change_window": "on", "discount": "0",
                      "pay_amount": str(total) if total > 0 else "",
                      "pay_method": method if total > 0 else ""}  # fmt: skip
            session = self.press(confirm, form, values)[0]
            told.moved(number)
            told.paid_in(number, total)
            self.pause()
            send = session.needs(action=f"{session_path}send/")
            self.press(session, send)
            told.moved(number)
        return True

    def book(self, number):
        """An order shot without a selection appointment: book it first (a late slot)."""
        desk = self.desk
        page = self.browser.get(f"/selection/book/{number}/")
        form = page.needs(testid="selection-form")
        slot = next(desk.slots)
        day = desk.today() + timedelta(days=1 + slot // 3)
        values = {"date": day.isoformat(), "time": ("18:00", "20:00", "22:00")[slot % 3],
                  "consultant": str(desk.consultant)}  # fmt: skip
        done = self.browser.submit(page, form, values)
        if not done.flashed("success"):
            raise Failure("selection booking: no success", 200, done.html)
        self.world.told.selections.add(number)
        return day


def _upsell(page):
    m = re.search(r"<tfoot>(.*?)</tfoot>", page.html, re.S)
    found = amounts(m.group(1)) if m else []
    if not found:
        raise Failure("no upsell total on the confirm page", 200, page.html)
    return found[0]


_SLIP = re.compile(r"\b[A-Z0-9]+-P\d{6}\b")


class PickupClerk(Person):
    def work(self):
        item = self.desk.take(self.desk.ready)
        if item is None:
            return False
        return self.pickup(*item)

    def pickup(self, number, pk, day):
        rng, told = self.rng, self.world.told
        desk_path = f"/pickup/{pk}/desk/"
        with self.flow("pickup at the desk"):
            sheet = self.browser.get(f"/pickup/?date={day.isoformat()}")
            if desk_path not in sheet.html:
                raise Failure(f"{number} not on the pickup sheet of {day}", 200, sheet.html)
            page = self.browser.get(desk_path)
            slip = _SLIP.search(page.html)
            if slip is None:
                raise Failure("no slip number at the desk", 200, page.html)
            self.pause()
            form = page.needs(testid="slip-form")
            page = self.browser.submit(page, form, {"slip-slip_number": slip.group(0)})
            pay = page.form(testid="payment-form")
            if pay is not None:
                self.pause()
                amount = Decimal(_value(pay, "pay-amount"))
                values = {"pay-kind": "balance", "pay-method": rng.choice(METHODS)}
                results = self.press(page, pay, values, once=False)
                receipts = {_receipt(p) for p in results}
                if len(receipts) != 1 or None in receipts:
                    raise Failure("desk payment taken twice", 200, detail=f"receipts {receipts}")
                told.paid_in(number, amount, key=_value(pay, "pay-request_key"))
                page = results[0]
            extra = page.form(testid="extra-form")
            if extra is not None and rng.random() < 0.3:
                # The third sale: an extra print or frame, paid at once.
                self.pause()
                value, label = rng.choice(extra.options("extra-price_item"))
                price = amounts(label)[0]
                values = {"extra-price_item": value, "extra-quantity": "1",
                          "extra-method": rng.choice(METHODS)}  # fmt: skip
                results = self.press(page, extra, values, once=False)
                receipts = {_receipt(p) for p in results}
                if len(receipts) != 1 or None in receipts:
                    raise Failure("extra sold twice", 200, detail=f"receipts {receipts}")
                told.paid_in(number, price, key=_value(extra, "extra-request_key"))
                page = results[0]
            self.pause()
            give = page.needs(testid="hand-over-form")
            items = [v for v, _l in give.choices.get("give-items", [])]
            page = self.browser.submit(page, give, {"give-items": items})
            self.pause()
            survey = page.form(testid="survey-form")
            if survey is not None:
                values = {"survey-score": str(rng.choice([4, 5, 5])), "survey-comments": "很满意",
                          "survey-would_refer": "on"}  # fmt: skip
                page = self.browser.submit(page, survey, values)
            self.pause()
            complete = page.needs(testid="complete-form")
            self.press(page, complete)
            told.moved(number)
        return True


# --- The run ---


class World:
    def __init__(self, base, scenario, deadline, phone_prefix):
        self.base = base
        self.scenario = scenario
        self.deadline = deadline
        self.tally = Tally()
        self.told = Told()
        self._phones = itertools.count()
        self._phone_prefix = phone_prefix
        self._lock = threading.Lock()

    def over(self):
        return time.monotonic() >= self.deadline

    def sleep(self, seconds):
        time.sleep(max(0.0, min(seconds, self.deadline - time.monotonic())))

    def new_phone(self):
        with self._lock:
            return f"{self._phone_prefix}{next(self._phones):06d}"


def _free_phone_prefix():
    """Five digits no customer's phone starts with: the run's walk-ins are new couples."""
    from django.db.models import Q

    from studio.models import Customer

    for n in range(100):
        prefix = f"199{n:02d}"
        taken = Customer.objects.filter(
            Q(bride_phone__startswith=prefix) | Q(groom_phone__startswith=prefix)
        ).exists()
        if not taken:
            return prefix
    raise RuntimeError("no free phone prefix 19900-19999 for the walk-ins")


def _snapshot():
    """The highest id of each table the run writes, and each branch's last receipt."""
    from django.db.models import Max
    from django_fsm_log.models import StateLog

    from orders.models import LedgerEntry, Order, ReceiptSequence
    from rentals.models import DressReservation
    from shoots.models import HandOff, ResourceBooking
    from studio.models import Customer, Visit

    models = {
        "ledger": LedgerEntry, "statelog": StateLog, "customer": Customer, "order": Order,
        "visit": Visit, "handoff": HandOff, "booking": ResourceBooking,
        "reservation": DressReservation,
    }  # fmt: skip
    ids = {k: m.objects.aggregate(n=Max("pk"))["n"] or 0 for k, m in models.items()}
    ids["receipts"] = dict(ReceiptSequence.objects.values_list("branch_id", "last"))
    return ids


def invariant_errors(before, told):
    """What the staff were told against what the database holds (the module docstring)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import Count
    from django_fsm_log.models import StateLog

    from orders.models import LedgerEntry, Order
    from shoots.models import HandOff
    from studio.models import Customer, Visit

    from . import checks

    errors = []

    def count(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    overlaps = count(
        """SELECT count(*) FROM shoots_resourcebooking a JOIN shoots_resourcebooking b
           ON a.resource = b.resource AND a.id <> b.id
           AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at WHERE a.id > %s""",
        [before["booking"]],
    )
    if overlaps:
        errors.append(f"people, rooms or vehicles booked twice: {overlaps}")
    sessions = count(
        """SELECT count(*) FROM selection_selectionsession a
           JOIN orders_order o ON o.id = a.order_id
           JOIN selection_selectionsession b ON a.consultant_id = b.consultant_id
           AND a.id <> b.id AND a.appointment_at < b.appointment_ends_at
           AND b.appointment_at < a.appointment_ends_at WHERE o.number = ANY(%s)""",
        [sorted(told.selections)],
    )
    if sessions:
        errors.append(f"consultants booked for two selections at once: {sessions}")
    dresses = count(
        """SELECT count(*) FROM rentals_dressreservation a JOIN rentals_dressreservation b
           ON a.dress_id = b.dress_id AND a.id <> b.id AND a.status <> 'cancelled'
           AND b.status <> 'cancelled' AND a.pickup_on <= b.cleaning_until
           AND b.pickup_on <= a.cleaning_until WHERE a.id > %s""",
        [before["reservation"]],
    )
    if dresses:
        errors.append(f"dresses reserved twice: {dresses}")

    # Money: the new entries of each order against the payments the staff took.
    new = LedgerEntry.objects.filter(pk__gt=before["ledger"])
    numbers = dict(Order.objects.filter(ledger__pk__gt=before["ledger"]).values_list("pk", "number").distinct())  # fmt: skip
    paid = defaultdict(Decimal)
    held = defaultdict(Decimal)
    for order, kind, amount in new.values_list("order_id", "kind", "amount"):
        target = held if kind in LedgerEntry.HOLDS else paid
        target[numbers[order]] += amount
    for number in set(paid) | set(told.paid):
        if paid.get(number, ZERO) != told.paid.get(number, ZERO):
            errors.append(
                f"order {number}: ledger took {paid.get(number, ZERO)}, "
                f"the staff {told.paid.get(number, ZERO)}"
            )
    for number in set(held) | {n for n, v in told.holds.items() if v}:
        if held.get(number, ZERO) != told.holds.get(number, ZERO):
            errors.append(
                f"order {number}: deposits held {held.get(number, ZERO)}, "
                f"the staff {told.holds.get(number, ZERO)}"
            )
    keyed = Counter(new.filter(request_key__in=list(told.keys)).values_list("request_key", flat=True))  # fmt: skip
    for key, (number, amount) in told.keys.items():
        entries = list(new.filter(request_key=key).values_list("order__number", "amount"))
        if keyed[key] != 1 or entries != [(number, amount)]:
            errors.append(f"payment {key[:8]}… of {number} ({amount}): entries {entries}")
    touched = Order.objects.filter(number__in=set(paid) | set(told.paid))
    for order in touched.select_related("branch"):
        if order.balance_due < 0:
            errors.append(f"order {order.number} paid {-order.balance_due} more than it owes")
    for branch, last in (
        new.values_list("branch_id").annotate(n=Count("pk")).values_list("branch_id", "n")
    ):
        receipts = sorted(
            int(r.rsplit("-R", 1)[1])
            for r in new.filter(branch_id=branch).values_list("receipt_no", flat=True)  # fmt: skip
        )
        first = before["receipts"].get(branch, 0) + 1
        if receipts != list(range(first, first + last)):
            errors.append(f"branch {branch}: receipt numbers {receipts[:3]}… skip or repeat")

    # One transition per successful press.
    order_type = ContentType.objects.get_for_model(Order)
    logged = Counter(
        dict(
            StateLog.objects.filter(pk__gt=before["statelog"], content_type=order_type)
            .values("object_id")
            .annotate(n=Count("pk"))
            .values_list("object_id", "n")
        )
    )
    by_number = dict(Order.objects.filter(pk__in=list(logged)).values_list("number", "pk"))
    pressed = {number: n for number, n in told.transitions.items() if n}
    for number in set(by_number) | set(pressed):
        n = logged.get(by_number.get(number), 0)
        if n != pressed.get(number, 0):
            errors.append(
                f"order {number}: {n} transitions logged, {pressed.get(number, 0)} presses"
            )

    # Repeated submissions leave one record each.
    customers = Customer.objects.filter(pk__gt=before["customer"])
    for phone_field in ("bride_phone", "groom_phone"):
        twice = (
            customers.exclude(**{phone_field: ""})
            .values("branch_id", phone_field)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        if twice:
            errors.append(f"customers filed twice with the same {phone_field}: {twice}")
    orders = Order.objects.filter(pk__gt=before["order"])
    doubled = orders.values("customer_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    if doubled:
        errors.append(f"walk-ins signed twice: {doubled}")
    if orders.count() != sum(told.signed.values()):
        errors.append(
            f"{orders.count()} orders signed, the desks signed {sum(told.signed.values())}"
        )
    visits = Visit.objects.filter(pk__gt=before["visit"]).count()
    if visits != told.visits:
        errors.append(f"{visits} visits registered, the desks registered {told.visits}")
    handoffs = HandOff.objects.filter(pk__gt=before["handoff"]).count()
    if handoffs != told.handoffs:
        errors.append(f"{handoffs} hand-offs recorded, {told.handoffs} taps")
    cancelled_money = new.filter(order__state="cancelled").exclude(kind="refund").count()
    if cancelled_money:
        errors.append(f"payments on cancelled orders: {cancelled_money}")
    errors += [f"dataset: {e}" for e in checks.invariant_errors()]
    return errors


# --- The throwaway copy ---


def _admin(url):
    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def copy_database(url, template, name, log):
    """CREATE DATABASE name TEMPLATE template: a copy of the files for a large one (one
    checkpoint, then no WAL), through the WAL for a small one."""
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        size = conn.execute("SELECT pg_database_size(%s)", [template]).fetchone()[0]
        strategy = "FILE_COPY" if size > 500_000_000 else "WAL_LOG"
        for attempt in range(10):
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY {strategy}')
                return
            except psycopg.errors.ObjectInUse:
                # Someone is still connected to the template (a server closing down).
                if attempt == 9:
                    raise
                log(f"  {template} is in use; trying again")
                time.sleep(3)


def drop_database(url, name):
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def on_copy(url, template, log):
    """The run's database: a copy of `template`, which Django's connection points at until
    it is dropped again."""
    from django.db import connection

    name = f"{template}_busy"
    connection.close()
    started = time.monotonic()
    copy_database(url, template, name, log)
    log(f"Copied {template} to {name} in {time.monotonic() - started:.0f} s")
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = name
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}")), name
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        drop_database(url, name)
        log(f"Dropped {name}")


def _log_in(base, people, log):
    started = time.monotonic()
    users = sorted({username for _desk, staff in people for _kind, username, _pk in staff})
    with ThreadPoolExecutor(8) as pool:
        jars = dict(zip(users, pool.map(lambda u: pages.login(base, u), users), strict=True))
    seconds = time.monotonic() - started
    log(f"Logged in {len(users)} staff through the login page in {seconds:.0f} s")
    return jars, {"count": len(users), "seconds": round(seconds, 1)}


KINDS = {
    "receptionist": Receptionist,
    "dispatcher": Dispatcher,
    "consultant": Consultant,
    "pickup": PickupClerk,
    "tablet": Tablet,
}


def run(*, url, template, out_dir, log, scenario=None):
    """The busy day on a copy of database `template` (on the server of `url`); returns the
    report (also written to out_dir/busy.json). Its "ok" is False on any error or broken
    invariant."""
    scenario = scenario or Scenario.from_env()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    rng = random.Random(scenario.seed)
    with on_copy(url, template, log) as (run_url, _name):
        people = desks_and_staff(scenario, rng)
        before = _snapshot()
        prefix = _free_phone_prefix()
        server = pages.Server(run_url, out_dir, log)
        server.log_path = out_dir / "gunicorn-busy.log"
        with server:
            jars, logins = _log_in(server.base, people, log)
            world = World(server.base, scenario, 0.0, prefix)
            staff = []
            for desk, roster in people:
                for kind, username, _pk in roster:
                    staff.append(KINDS[kind](world, desk, username, jars[username]))
                dispatcher = next((u for k, u, _p in roster if k == "dispatcher"), None)
                if dispatcher:
                    staff.append(Screen(world, desk, dispatcher, jars[dispatcher]))
            log(
                f"A busy day of {scenario.seconds:g} s: {len(people)} branches, "
                f"{sum(len(r) for _d, r in people)} staff (think {scenario.think:g} s, "
                f"tablets and boards every {scenario.poll:g} s, {scenario.double:.0%} double presses)"
            )
            started = time.monotonic()
            world.deadline = started + scenario.seconds
            for person in staff:
                person.start()
            for person in staff:
                person.join()
            wall = time.monotonic() - started
        log(f"  done in {wall:.0f} s; checking the invariants")
        checked = time.monotonic()
        broken = invariant_errors(before, world.told)
        log(f"  checked in {time.monotonic() - checked:.0f} s")
    report = _report(scenario, world, wall, logins, broken, len(people))
    _print(report, log)
    (out_dir / "busy.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    log(f"Wrote {out_dir / 'busy.json'}")
    return report


def _report(scenario, world, wall, logins, broken, branches):
    tally, told = world.tally, world.told
    flows = []
    for name, e in sorted(tally.flows.items()):
        flows.append(
            {
                "name": name,
                "runs": e["runs"],
                "idle": e["idle"],
                "requests": len(e["requests"]),
                "p50_ms": _pct(e["requests"], 0.5),
                "p95_ms": _pct(e["requests"], 0.95),
                "flow_p95_ms": _pct(e["flows"], 0.95),
                "errors": e["errors"],
            }
        )
    return {
        "ok": tally.errors == 0 and not broken,
        "scenario": scenario.__dict__,
        "branches": branches,
        "logins": logins,
        "seconds": round(wall, 1),
        "requests": tally.requests,
        "rps": round(tally.requests / wall, 1) if wall else None,
        "flows": flows,
        "errors": tally.errors,
        "failures": tally.failures,
        "done": {
            "transitions": sum(told.transitions.values()),
            "payments": told.payments,
            "visits": told.visits,
            "orders signed": sum(told.signed.values()),
            "hand-offs": told.handoffs,
        },
        "invariants_broken": broken,
    }


def _print(report, log):
    head = f"{'flow':40} {'runs':>5} {'reqs':>6} {'p50 ms':>8} {'p95 ms':>8} {'flow p95':>9} {'err':>4}"
    lines = [head, "-" * len(head)]
    for f in report["flows"]:
        lines.append(
            f"{f['name'][:40]:40} {f['runs']:>5} {f['requests']:>6} {f['p50_ms']!s:>8} "
            f"{f['p95_ms']!s:>8} {f['flow_p95_ms']!s:>9} {f['errors']:>4}"
        )
    lines.append(
        f"{report['requests']} requests in {report['seconds']} s: {report['rps']} requests/s; "
        f"errors {report['errors']}; done {report['done']}"
    )
    print("\n" + "\n".join(lines) + "\n", flush=True)
    for failure in report["failures"][:10]:
        log(
            f"  ERROR {failure['flow']}: {failure['what']} ({failure['status']}): {failure['text']}"
        )
    if report["invariants_broken"]:
        for line in report["invariants_broken"][:30]:
            log(f"  BROKEN {line}")
    else:
        log("  Every invariant holds.")
