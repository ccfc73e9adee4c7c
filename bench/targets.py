"""Issue 11's targets, checked against what this run of the benchmark measured.

`check` reads the reports the steps return (bench.pages, bench.jobs, bench.busy, and the
dataset's stamp) and gives one line per target: what it asks, what was measured, and
whether it was met. A step that did not run this time leaves its targets "not measured":
a figure from an earlier run is never taken for this one. `python -m bench` prints them
after its table, writes var/bench/targets.json, and exits with status 1 when one is missed.
"""

from dataclasses import asdict, dataclass

# The figures of issue 11, "Targets" (docs/performance.md).
BUILD_MINUTES = 15  # the chain-scale dataset, built on 2 cores
STAFF_RATIO = 0.25  # a staff page's throughput at 8 clients ÷ the login page's
STAFF_P95_MS = 100  # a staff page's p95 at 1 client
REPORT_P95_MS = 300  # the managers' month report and its CSV, p95 at 1 client
ADMIN_P95_MS = 300  # an admin changelist or search, p95 at 1 client
POLL_P50_MS = 5  # a poll answered 304 Not Modified, p50 at 1 client
CARE_RUN_S = 2  # every run of the care rules over the chain's couples
OUTBOX_PER_S = 50  # messages sent a second by one worker (log backend)


@dataclass
class Target:
    name: str
    wanted: str
    measured: str = "not measured in this run"
    met: bool | None = None  # None: not measured
    misses: list[str] | None = None  # the pages or runs that missed it


def _pages(pages, group):
    return [p for p in pages["pages"] if p.get("group") == group] if pages else []


def _short(rows, value, fails):
    """The names of `rows` whose `value` fails (None: the page answered nothing as expected,
    which fails every target)."""
    return [r["name"] for r in rows if value(r) is None or fails(value(r))]


def check(*, stamp=None, pages=None, jobs=None, busy=None):
    """The targets, each with its measured figure and whether it was met."""
    targets = []

    build = Target("dataset built", f"under {BUILD_MINUTES} min on 2 cores")
    if stamp and stamp.get("seconds") is not None:
        minutes = stamp["seconds"] / 60
        built = stamp.get("now", "")[:10]
        build.measured, build.met = f"{minutes:.1f} min (built {built})", minutes < BUILD_MINUTES
    targets.append(build)

    staff = _pages(pages, "staff")
    ratio = Target("staff pages, 8 clients", f"at least {STAFF_RATIO} of the login page")
    p95 = Target("staff pages, 1 client", f"p95 under {STAFF_P95_MS} ms")
    if staff:
        ratios = [r["ratio_c8_to_login"] for r in staff]
        misses = _short(staff, lambda r: r["ratio_c8_to_login"], lambda v: v < STAFF_RATIO)
        ratio.measured = f"lowest {min(ratios):.3f} ({len(staff)} pages)"
        ratio.met, ratio.misses = not misses, misses
        _ms(p95, staff, "p95_ms", STAFF_P95_MS)
    targets += [ratio, p95]

    for group, name, limit, key, wanted in (
        ("report", "month report and CSV", REPORT_P95_MS, "p95_ms", "p95"),
        ("admin", "admin lists and searches", ADMIN_P95_MS, "p95_ms", "p95"),
        ("poll", "polls answered 304", POLL_P50_MS, "p50_ms", "p50"),
    ):
        target = Target(name, f"{wanted} under {limit} ms at 1 client")
        rows = _pages(pages, group)
        if rows:
            _ms(target, rows, key, limit)
        targets.append(target)

    care = Target("care rules", f"every run under {CARE_RUN_S} s")
    outbox = Target("outbox", f"at least {OUTBOX_PER_S} messages a second")
    if jobs:
        runs = next(
            (j["runs_s"] for j in jobs["jobs"] if j["task"] == "followups.tasks.run_care_rules"),
            None,
        )
        if runs:
            care.measured = f"slowest {max(runs):.2f} s of {runs}"
            care.met = max(runs) < CARE_RUN_S
        rate = jobs["dispatch"].get("per_second")
        if rate is not None:
            outbox.measured, outbox.met = f"{rate:g} a second", rate >= OUTBOX_PER_S
    targets += [care, outbox]

    day = Target("busy day", "no error, every invariant holds")
    if busy:
        broken = len(busy["invariants_broken"])
        day.measured = f"{busy['errors']} errors, {broken} broken invariants"
        day.met = busy["errors"] == 0 and not broken
    targets.append(day)
    return targets


def _ms(target, rows, key, limit):
    """`target` met when every row's c1 `key` (milliseconds) is under `limit`."""
    times = [r["c1"][key] for r in rows if r["c1"][key] is not None]
    misses = _short(rows, lambda r: r["c1"][key], lambda v: v >= limit)
    target.measured = f"highest {max(times):g} ms ({len(rows)} pages)" if times else "no answer"
    target.met, target.misses = not misses, misses


def report(targets, log):
    """Print the targets after the table; True when none measured was missed."""
    lines = [f"{'target':28} {'wanted':40} {'measured':34} met"]
    for t in targets:
        met = {True: "yes", False: "NO", None: "-"}[t.met]
        lines.append(f"{t.name:28} {t.wanted:40} {t.measured:34} {met}")
        if t.misses:
            lines.append(f"{'':28}   missed by: {', '.join(t.misses)}")
    print("\n" + "\n".join(lines) + "\n", flush=True)
    missed = [t.name for t in targets if t.met is False]
    log("Every target measured was met" if not missed else f"Missed: {', '.join(missed)}")
    return not missed


def as_json(targets):
    return [asdict(t) for t in targets]
