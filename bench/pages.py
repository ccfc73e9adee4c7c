"""Every page of issue 11's table, timed against the production server at 1 and 8 clients.

The server is the one `make serve` runs: gunicorn with deploy/gunicorn.conf.py (2 workers x
4 threads), DEBUG off, whitenoise's collected static files, sessions in Redis, on the bench
database, with bench.settings adding the trivial baseline page. Each client is a thread
with its own keep-alive connection (httpx), logged in as staff of the page's role; the
requests come as nginx forwards them after ending TLS (X-Forwarded-Proto: https, the
session cookie kept by hand since it is Secure), in Chinese, the staff's language.

Each page is timed for `seconds` (at least 10 requests at 1 client, 16 at 8) after a
warm-up that opens each of its paths once (`_warm`), next to the two baselines: the
trivial page (plain text through every middleware, logged in) and the login page GET
(anonymous). The table gives p50 and p95 of the response times, requests per second, and
each page's requests per second at 8 clients as a share of the login page's timed beside
it: the page's 8 clients run in BENCH_ROUNDS slices (3), each followed by a slice of the
login page ("login" in the table), so that the machine's speed, which drifts from one
minute to the next, is the same for both figures of a ratio.

The board and the tablet are also timed as htmx polls them: the fragment ("poll"), and the
fragment unchanged ("poll unchanged": each client sends back the ETag it last received, as
the browser does, and a timed answer is 304 Not Modified).
"""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from . import BASE, SECRET

PASSWORD = "studio-bench-2026"
BRANCH = "b01"
LANGUAGE = "zh-hans"
# A page's 8 clients are timed in this many slices, each followed by a slice of the login
# page: its ratio is to the login page timed beside it (measure_beside).
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


@dataclass
class Page:
    name: str
    user: str  # the login
    paths: list
    anonymous: bool = False
    headers: dict = field(default_factory=dict)  # sent with every request, besides HEADERS
    expect: int = 200  # the status a timed answer has; any other is an error
    # Poll as the browser does: send If-None-Match with the last ETag received. An answer
    # with a new ETag (the fragment changed, or a client's first request) is not timed.
    revalidate: bool = False
    # Which of issue 11's targets holds it (bench.targets): "staff" (used all day),
    # "report" (the managers' month report), "admin", "poll" (a poll answered 304).
    group: str = "staff"
    result: dict = field(default_factory=dict)


# What htmx sends when it polls a fragment (hx-trigger="every 20s"); "unchanged" polls
# revalidate the fragment they hold and expect 304 Not Modified (studio.polling).
HTMX = {"HX-Request": "true"}
UNCHANGED = {"headers": HTMX, "expect": 304, "revalidate": True, "group": "poll"}


def pages_to_time():
    """The pages of the issue's table, each with the records of the first branch it shows
    (a few of each, visited in turn), and the role that uses it."""
    from django.db.models import Count

    from orders.models import LedgerEntry, Order, State
    from studio.models import Branch, Customer

    branch = Branch.objects.get(code=BRANCH)
    code = BRANCH
    orders = Order.objects.filter(branch=branch)
    customers = list(
        Customer.objects.filter(branch=branch)
        .annotate(n=Count("orders"))
        .filter(n__gt=0)
        .order_by("pk")
        .values_list("pk", "bride_phone", "bride_name", "groom_name")[::250][:20]
    )
    numbers = []
    for state in State.values:
        numbers += list(
            orders.filter(state=state).order_by("-signed_at").values_list("number", flat=True)[:3]
        )
    # The selection page: the couples choosing now, else those who chose last.
    selecting = Order.objects.filter(state=State.SELECTING).select_related("branch")
    if not selecting.exists():
        selecting = Order.objects.filter(state=State.SELECTED).select_related("branch")
    chosen = list(selecting.order_by("branch__code", "-signed_at")[:5])
    consultant = (
        f"selection_consultant_{chosen[0].branch.code}"
        if chosen
        else f"selection_consultant_{code}"
    )
    names = [n for _pk, _p, bride, groom in customers for n in (bride, groom) if n][:20]
    today = branch.today()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    report = f"/studio/reports/?period=month&month={last_month}"
    receipts = list(
        LedgerEntry.objects.filter(branch=branch)
        .order_by("pk")
        .values_list("receipt_no", flat=True)[::5000][:10]
    )
    receptionist, dispatcher, manager = (
        f"receptionist_{code}",
        f"dispatcher_{code}",
        f"manager_{code}",
    )
    return [
        Page("Today (receptionist)", receptionist, ["/"]),
        Page("Today (dispatcher)", dispatcher, ["/"]),
        Page(
            "customer search (phone prefix)",
            receptionist,
            [f"/studio/customers/search/?q={p[:4]}" for _pk, p, _b, _g in customers],
        ),
        Page(
            "customer search (a name)",
            receptionist,
            [f"/studio/customers/search/?q={n}" for n in names],
        ),
        Page(
            "customer file",
            receptionist,
            [f"/studio/customers/{pk}/" for pk, _p, _b, _g in customers],
        ),
        Page("order page", receptionist, [f"/orders/{n}/" for n in numbers]),
        Page("order list", receptionist, ["/orders/"]),
        Page("control sheet day", dispatcher, ["/shoots/"]),
        Page("control sheet week", dispatcher, ["/shoots/week/"]),
        Page("board", dispatcher, ["/shoots/board/"]),
        Page("board, poll", dispatcher, ["/shoots/board/"], headers=HTMX),
        Page("board, poll unchanged", dispatcher, ["/shoots/board/"], **UNCHANGED),
        Page("tablet", f"makeup_artist_{code}", ["/shoots/tablet/"]),
        Page("tablet, poll", f"makeup_artist_{code}", ["/shoots/tablet/"], headers=HTMX),
        Page("tablet, poll unchanged", f"makeup_artist_{code}", ["/shoots/tablet/"], **UNCHANGED),
        Page("viewing sheet", f"selection_consultant_{code}", ["/selection/"]),
        Page(
            "selection",
            consultant,
            [
                f"/selection/session/{o.number}/"
                for o in chosen
                if o.branch.code == chosen[0].branch.code
            ],
        ),
        Page("production board", f"production_{code}", ["/selection/production/"]),
        Page("pickup sheet", f"pickup_clerk_{code}", ["/pickup/"]),
        Page("dresses", f"dress_stylist_{code}", ["/rentals/"]),
        Page("reservations", f"dress_stylist_{code}", ["/rentals/reservations/"]),
        Page("my calls", f"customer_service_{code}", ["/followups/tasks/"]),
        Page("managers' month report", manager, [report], group="report"),
        Page("managers' month report, CSV", manager, [report + "&format=csv"], group="report"),
        Page("admin: ledger entries", manager, ["/admin/orders/ledgerentry/"], group="admin"),
        Page(
            "admin: ledger entries, search",
            manager,
            [f"/admin/orders/ledgerentry/?q={r[:9]}" for r in receipts],
            group="admin",
        ),
        Page("admin: customers", manager, ["/admin/studio/customer/"], group="admin"),
        Page(
            "admin: customers, search",
            manager,
            [f"/admin/studio/customer/?q={n}" for n in names[:10]],
            group="admin",
        ),
        Page("admin: orders", manager, ["/admin/orders/order/"], group="admin"),
        Page(
            "admin: orders, search",
            manager,
            [f"/admin/orders/order/?q={n[:9]}" for n in numbers[:10]],
            group="admin",
        ),
        Page(
            "admin: outbound messages", manager, ["/admin/followups/outboxmessage/"], group="admin"
        ),
        Page(
            "admin: outbound messages, search",
            manager,
            [f"/admin/followups/outboxmessage/?q={n}" for n in names[:10]],
            group="admin",
        ),
        # Head office's: a store manager is not given the call tasks in the admin.
        Page(
            "admin: call tasks (head office)",
            "chain_manager",
            ["/admin/followups/calltask/"],
            group="admin",
        ),
        Page("admin: shoots (the bookings)", manager, ["/admin/shoots/shoot/"], group="admin"),
    ]


# --- The server ---


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url, port, static_root):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", SECRET),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(static_root),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="4",
        PYTHONUNBUFFERED="1",
    )
    return env


class Server:
    def __init__(self, url, out_dir, log):
        self.port = _free_port()
        self.env = server_env(url, self.port, out_dir / "static")
        self.log_path = out_dir / "gunicorn.log"
        self.say = log

    def __enter__(self):
        python = os.path.join(os.path.dirname(sys.executable), "python")
        self.say("collectstatic")
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=BASE, env=self.env, check=True,
        )  # fmt: skip
        self.logfile = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "-c", "deploy/gunicorn.conf.py", "studio.wsgi"],
            cwd=BASE, env=self.env, stdout=self.logfile, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                r = httpx.get(f"{self.base}/accounts/login/", headers=HEADERS, timeout=5)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in 60 s")
            time.sleep(0.5)
        self.say(
            f"gunicorn on port {self.port} (2 workers x 4 threads, DEBUG off); log {self.log_path}"
        )
        return self

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.logfile.close()


HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": LANGUAGE}


def _cookies(response, jar):
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def login(base, username):
    """A session of `username`, logged in through the login page: its cookies."""
    jar = {}
    with httpx.Client(base_url=base, headers=HEADERS, timeout=60) as client:
        r = client.get("/accounts/login/")
        _cookies(r, jar)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text).group(1)
        origin = base.replace("http://", "https://")
        r = client.post(
            "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Cookie": _cookie_header(jar), "Origin": origin, "Referer": origin + "/accounts/login/"},
        )  # fmt: skip
        if r.status_code != 302:
            raise RuntimeError(f"{username} could not log in ({r.status_code})")
        _cookies(r, jar)
    return jar


def _cookie_header(jar):
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# --- Timing ---


def measure(base, page, cookies, clients, seconds):
    return summarise(*sample(base, page, cookies, clients, seconds))


def sample(base, page, cookies, clients, seconds):
    """`clients` threads open the page's paths in turn for `seconds` (and at least 10
    requests at 1 client, 16 at 8): the times of the answers as expected, of the others, and
    the wall time it took."""
    headers = {**HEADERS, **page.headers}
    if cookies:
        headers["Cookie"] = _cookie_header(cookies)
    least = 10 if clients == 1 else 16
    times, errors = [], []
    lock = threading.Lock()
    turn = [0]
    deadline = time.monotonic() + seconds

    def client():
        etags = {}  # path -> the last ETag this client received for it
        with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
            while True:
                with lock:
                    if time.monotonic() >= deadline and len(times) + len(errors) >= least:
                        return
                    path = page.paths[turn[0] % len(page.paths)]
                    turn[0] += 1
                held = {"If-None-Match": etags[path]} if path in etags else {}
                started = time.perf_counter()
                r = http.get(path, headers=held)
                r.read()
                took = time.perf_counter() - started
                if page.revalidate and r.status_code == 200 and "etag" in r.headers:
                    etags[path] = r.headers["etag"]
                    continue
                with lock:
                    (times if r.status_code == page.expect else errors).append(took)
                    if r.status_code != page.expect and len(errors) <= 3:
                        print(f"    {page.name}: {path} answered {r.status_code}", flush=True)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors, time.perf_counter() - started


def summarise(times, errors, wall):
    times = sorted(times)
    n = len(times)

    def pct(p):
        return round(times[min(n - 1, max(0, round(n * p) - 1))] * 1000, 1) if n else None

    return {
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "rps": round(n / wall, 2),
        "requests": n,
        "errors": len(errors),
    }


def measure_beside(base, page, cookies, login_page, seconds, rounds):
    """The page at 8 clients in `rounds` slices, each followed by a slice of the login page:
    its throughput and the login page's, measured over the same stretch of the run. The
    machine's speed drifts by a third from one minute to the next; a ratio of two figures
    taken side by side does not."""
    held = {"page": [[], [], 0.0], "login": [[], [], 0.0]}
    for _ in range(rounds):
        for key, p, c in (("page", page, cookies), ("login", login_page, {})):
            times, errors, wall = sample(base, p, c, 8, seconds / rounds)
            held[key][0] += times
            held[key][1] += errors
            held[key][2] += wall
    return summarise(*held["page"]), summarise(*held["login"])


def _warm(base, page, cookies):
    """Each of the page's paths once, and the first two again: the timing measures the
    page as the chain's server runs it all day, not the first read of a record from disk.
    On a dataset just built, the message search's first read of each name (its couples and
    their messages, not read since the build) took up to 2.8 s, 0.2 s at the median."""
    headers = {**HEADERS, **page.headers}
    if cookies:
        headers["Cookie"] = _cookie_header(cookies)
    with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
        for path in [*page.paths, *page.paths[:2]]:
            http.get(path)


def run(*, url, seconds, out_dir, log):
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a log line per request
    pages = []
    # BENCH_ONLY="dresses,admin:" times only the pages whose names hold one of these words
    # (the baselines always run): for working on a few pages.
    only = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]
    for page in pages_to_time():
        if only and not any(w in page.name for w in only):
            continue
        if page.paths:
            pages.append(page)
        else:
            log(f"  {page.name}: nothing to open in this dataset, left out")
    baselines = {
        "trivial": Page(
            "trivial page (plain text, every middleware)",
            f"receptionist_{BRANCH}",
            ["/bench/trivial/"],
        ),
        "login": Page("login page GET", "", ["/accounts/login/"], anonymous=True),
    }
    with Server(url, out_dir, log) as server:
        sessions = {}
        for page in [*baselines.values(), *pages]:
            if not page.anonymous and page.user not in sessions:
                sessions[page.user] = login(server.base, page.user)
        log(
            f"Logged in {len(sessions)} roles; timing {len(pages) + 2} pages for {seconds:g} s at 1 and at 8 clients"
        )
        for page in [*baselines.values(), *pages]:
            cookies = {} if page.anonymous else sessions[page.user]
            _warm(server.base, page, cookies)
            page.result["c1"] = measure(server.base, page, cookies, 1, seconds)
            if page in pages:
                page.result["c8"], page.result["login_beside"] = measure_beside(
                    server.base, page, cookies, baselines["login"], seconds, ROUNDS
                )
            else:
                page.result["c8"] = measure(server.base, page, cookies, 8, seconds)
            c1, c8 = page.result["c1"], page.result["c8"]
            log(f"  {page.name:38} c1 p50 {c1['p50_ms']} p95 {c1['p95_ms']} ms, c8 {c8['rps']} rps")
    login_rps = baselines["login"].result["c8"]["rps"] or 1
    for page in [*baselines.values(), *pages]:
        beside = page.result.get("login_beside", {}).get("rps") or login_rps
        page.result["ratio"] = round((page.result["c8"]["rps"] or 0) / beside, 3)
    table(baselines, pages, log)
    shape = {
        "baselines": {key: _shape(p.result) for key, p in baselines.items()},
        "pages": [
            {
                "name": p.name,
                "path": p.paths[0],
                "group": p.group,
                **_shape(p.result),
                "ratio_c8_to_login": p.result["ratio"],
            }
            for p in pages
        ],
    }
    (out_dir / "pages.json").write_text(json.dumps(shape, indent=2, ensure_ascii=False) + "\n")
    detail = {
        "seconds": seconds,
        "rounds": ROUNDS,
        "language": LANGUAGE,
        "pages": [
            {"name": p.name, "user": p.user, "paths": p.paths, **p.result}
            for p in [*baselines.values(), *pages]
        ],
    }  # fmt: skip
    (out_dir / "pages-detail.json").write_text(
        json.dumps(detail, indent=2, ensure_ascii=False) + "\n"
    )
    log(f"Wrote {out_dir / 'pages.json'}")
    return shape


def _shape(result):
    return {c: {k: result[c][k] for k in ("p50_ms", "p95_ms", "rps")} for c in ("c1", "c8")}


def table(baselines, pages, log):
    head = f"{'page':40} {'c1 p50':>8} {'c1 p95':>8} {'c1 rps':>7} {'c8 p50':>8} {'c8 p95':>8} {'c8 rps':>7} {'login':>7} {'÷login':>7} {'err':>4}"
    lines = [head, "-" * len(head)]
    for page in [*baselines.values(), *pages]:
        c1, c8 = page.result["c1"], page.result["c8"]
        ratio = page.result["ratio"]
        beside = page.result.get("login_beside", baselines["login"].result["c8"])["rps"]
        # A page that answered nothing as expected has no times: "-".
        c1, c8 = ({k: "-" if v is None else v for k, v in c.items()} for c in (c1, c8))
        lines.append(
            f"{page.name[:40]:40} {c1['p50_ms']:>8} {c1['p95_ms']:>8} {c1['rps']:>7} "
            f"{c8['p50_ms']:>8} {c8['p95_ms']:>8} {c8['rps']:>7} {beside:>7} {ratio:>7.3f} {c1['errors'] + c8['errors']:>4}"
        )
    print("\n" + "\n".join(lines) + "\n", flush=True)
