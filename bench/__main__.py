"""make bench: the chain-scale dataset (built once, then reused), every page of issue 11's
table timed against the production server, and the periodic jobs timed at that scale.

    python -m bench                      # build if needed, time the pages and the jobs, a busy day
    python -m bench build                # only (re)build the dataset if needed
    python -m bench pages jobs           # only time
    python -m bench busy                 # only the busy day (bench.busy; BENCH_BUSY_* set it)
    python -m bench --rebuild build      # build again even when the stamp matches

DATABASE_URL names the PostgreSQL server (its database is left alone); the dataset lives in
BENCH_DB (studio_bench_chain). REDIS_URL keeps the server's sessions. Results go to
var/bench/pages.json, var/bench/jobs.json and var/bench/busy.json; the busy day runs on a
throwaway copy of the dataset. Last, issue 11's targets are checked against what this run
measured (bench.targets, var/bench/targets.json); the run exits with status 1 when one was
missed, or on an error or a broken invariant of the busy day.
"""

import argparse
import json
import os
import sys
import time
from datetime import datetime, timedelta

from bench import OUT, SECRET

# A new builder version rebuilds the dataset on the next run.
BUILDER_VERSION = 3


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def setup(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", SECRET)
    import django

    django.setup()


def build(args, url, name):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from . import chain, checks, database

    scale = chain.Scale(factor=args.scale, branches=args.branches, seed=args.seed)
    wanted = {"version": BUILDER_VERSION, **scale.stamp()}
    stamp = database.read_stamp(connection)
    if stamp and not args.rebuild and {k: stamp.get(k) for k in wanted} == wanted:
        built = datetime.fromisoformat(stamp["now"])
        age = timezone.now() - built
        if age <= timedelta(days=args.max_age):
            log(
                f"Reusing the dataset in {name}, built {built:%Y-%m-%d %H:%M} "
                f"({age.days} days ago) in {stamp['seconds']:.0f} s"
            )
            if age >= timedelta(hours=12):
                log(
                    "  Today's pages show the day as planned then (no shoot under way); "
                    "BENCH_REBUILD=1 builds it afresh."
                )
            return stamp
        log(f"The dataset is {age.days} days old (over {args.max_age}): building it again")
    started = time.monotonic()
    if stamp is not None or _has_rows():
        connection.close()
        database.recreate(url, name)
        log(f"Emptied {name}")
    log(f"Migrating {name}")
    call_command("migrate", verbosity=0)
    now = timezone.now()
    log(
        f"Building the chain at scale {args.scale} ({args.branches} branches), moment {now:%Y-%m-%d %H:%M}"
    )
    counts = chain.build(scale, now=now, out=log)
    log("Checking: the periodic jobs at the dataset's moment")
    settled = checks.settle(now)
    log(f"  created by the jobs: {settled}")
    log("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.monotonic() - started
    stamp = {
        **wanted,
        "now": now.isoformat(),
        "seconds": seconds,
        "counts": counts,
        "settled": settled,
    }
    database.write_stamp(connection, stamp)
    log(
        f"Built in {seconds / 60:.1f} min: "
        + ", ".join(f"{k.split('.')[1]} {v:,}" for k, v in counts.items())
    )
    return stamp


def _has_rows():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('studio_branch')")
        if cursor.fetchone()[0] is None:
            return False
        cursor.execute("SELECT EXISTS (SELECT 1 FROM studio_branch)")
        return cursor.fetchone()[0]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("steps", nargs="*", help="build, pages, jobs, busy (default: all four)")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1.0")))
    parser.add_argument("--branches", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--rebuild", action="store_true", default=os.environ.get("BENCH_REBUILD") == "1"
    )
    parser.add_argument("--max-age", type=int, default=int(os.environ.get("BENCH_MAX_AGE_DAYS", "7")),
                        help="days a built dataset is reused (today's pages need a recent one)")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")),
                        help="how long each page is timed at each concurrency")  # fmt: skip
    args = parser.parse_args(argv)
    args.steps = args.steps or ["build", "pages", "jobs", "busy"]
    if set(args.steps) - {"build", "pages", "jobs", "busy"}:
        parser.error("the steps are build, pages, jobs and busy")

    from . import database

    try:
        url, name = database.urls()
    except database.Refused as exc:
        sys.exit(str(exc))
    if database.ensure(url, name):
        log(f"Created database {name}")
    setup(url)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = build(args, url, name) if "build" in args.steps else None
    measured = {"stamp": stamp}
    if "pages" in args.steps:
        from . import pages

        measured["pages"] = pages.run(url=url, seconds=args.seconds, out_dir=OUT, log=log)
    if "jobs" in args.steps:
        from . import jobs

        measured["jobs"] = jobs.run(out_dir=OUT, log=log, stamp=stamp)
    if "busy" in args.steps:
        from . import busy

        measured["busy"] = busy.run(url=url, template=name, out_dir=OUT, log=log)
    from . import targets

    checked = targets.check(**measured)
    met = targets.report(checked, log)
    (OUT / "targets.json").write_text(json.dumps(targets.as_json(checked), indent=2) + "\n")
    if "busy" in measured and not measured["busy"]["ok"]:
        sys.exit("The busy day had errors or broke an invariant (var/bench/busy.json).")
    if not met:
        sys.exit("A target of issue 11 was missed (var/bench/targets.json).")


if __name__ == "__main__":
    main()
