"""The periodic jobs of studio/schedule.py, timed at chain scale at the dataset's moment.

Each job runs three times with `now` = the moment the dataset was built (its history is
complete up to then, so each run is the steady state beat sees every few minutes). The
outbox is timed separately on a morning queue: 2,000 messages queued through
`queue_message` for the chain's couples, due at once, sent with the log backend (its lines
go to var/bench/outbox.log), then removed again so the dataset stays as built.
"""

import json
import logging
import statistics
import time
from datetime import datetime

from django.db import connection
from django.utils import timezone

MORNING_QUEUE = 2000
RUNS = 3


def _timed(job, runs=RUNS):
    seconds, results = [], []
    for _ in range(runs):
        started = time.perf_counter()
        results.append(job())
        seconds.append(round(time.perf_counter() - started, 3))
    return seconds, results


def run(*, out_dir, log, stamp=None):
    from commissions.services import credit_new_entries
    from followups.models import CallTask, OutboxMessage
    from followups.services import dispatch_due_messages, queue_message, run_care_rules
    from selection.photos import announce_ready_photos
    from selection.services import alert_late_production, plan_selection_calls
    from shoots.services import plan_confirmation_calls
    from studio.models import Customer
    from studio.schedule import SCHEDULE
    from studio.selectors import consent_given
    from studio.services import record_heartbeat

    from . import database

    stamp = stamp or database.read_stamp(connection)
    now = datetime.fromisoformat(stamp["now"])
    log(
        f"Timing the periodic jobs at the dataset's moment ({timezone.localtime(now):%Y-%m-%d %H:%M})"
    )
    jobs = {
        "studio.tasks.heartbeat": lambda: record_heartbeat(name="beat"),
        "followups.tasks.run_care_rules": lambda: run_care_rules(now=now),
        "shoots.tasks.plan_confirmation_calls": lambda: plan_confirmation_calls(now=now),
        "selection.tasks.plan_selection_calls": lambda: plan_selection_calls(now=now),
        "selection.tasks.alert_late_production": lambda: alert_late_production(now=now),
        "selection.tasks.announce_ready_photos": lambda: announce_ready_photos(now=now),
        # A run credits at most 500 new ledger entries: the chain's backlog, a page a run.
        "commissions.tasks.credit_new_entries": lambda: credit_new_entries(),
    }
    results = []
    for entry in SCHEDULE:
        if entry.task == "followups.tasks.dispatch_messages":
            continue  # timed below, on a queue of its own
        job = jobs.get(entry.task)
        if job is None:
            log(f"  {entry.name}: no timing for {entry.task} yet")
            continue
        before = CallTask.objects.count() + OutboxMessage.objects.count()
        seconds, returned = _timed(job)
        created = CallTask.objects.count() + OutboxMessage.objects.count() - before
        results.append(
            {"name": entry.name, "task": entry.task, "every": f"{entry.every} {entry.period}",
             "runs_s": seconds, "median_s": statistics.median(seconds), "created": created,
             "returned": [r if isinstance(r, int) else str(r) for r in returned]}
        )  # fmt: skip
        log(
            f"  {entry.name:32} median {statistics.median(seconds):7.3f} s  {seconds}  created {created}"
        )

    # The outbox: a morning queue, all due now.
    from followups.backends import log as outbox_log

    handler = logging.FileHandler(out_dir / "outbox.log", mode="w")
    outbox_log.addHandler(handler)
    outbox_log.propagate = False
    outbox_log.setLevel(logging.INFO)
    customers = list(
        Customer.objects.alias(ok=consent_given("marketing", "sms"))
        .filter(ok=True)
        .order_by("pk")
        .values_list("pk", flat=True)[::50][:MORNING_QUEUE]
    )
    run_id = f"{time.time():.0f}"
    # Sent at noon of the dataset's day: a text is held in the night (21:00–09:00, branch
    # time), and a dataset built in the evening would time a queue waiting for morning.
    noon = timezone.localtime(now).replace(hour=12, minute=0, second=0, microsecond=0)
    try:
        for customer in Customer.objects.filter(pk__in=customers).select_related("branch"):
            queue_message(
                customer=customer, key="deposit_thanks", occasion=f"bench:{run_id}:{customer.pk}",
                context={"owner": "—"}, send_after=noon,
            )  # fmt: skip
        queued = OutboxMessage.objects.filter(
            occasion__startswith=f"bench:{run_id}:", status="queued"
        ).count()
        # Task runs as beat starts them (one a minute) until nothing is due: how long the
        # morning's queue waits.
        due = OutboxMessage.objects.filter(status="queued", send_after__lte=noon)
        started = time.perf_counter()
        dispatched, runs = 0, 0
        while True:
            n = dispatch_due_messages(now=noon)
            runs += 1
            dispatched += n
            if n == 0 or not due.exists():
                break
        seconds = time.perf_counter() - started
        # The dataset's own messages due by noon go out in the same runs; the rate counts
        # the probe's alone.
        probe = OutboxMessage.objects.filter(occasion__startswith=f"bench:{run_id}:")
        sent = probe.filter(status="sent").count()
        others = dispatched - sent
    finally:
        with connection.cursor() as cursor:
            # The benchmark's own probe rows, not the studio's records: put the dataset back.
            cursor.execute(
                "DELETE FROM followups_outboxmessage WHERE occasion LIKE %s", [f"bench:{run_id}:%"]
            )
        outbox_log.removeHandler(handler)
        handler.close()
    dispatch = {
        "name": "Send due messages",
        "task": "followups.tasks.dispatch_messages",
        "queued": queued,
        "sent": sent,
        "also_sent": others,  # the dataset's own messages that were due
        "task_runs": runs,
        "seconds": round(seconds, 3),
        "per_second": round(sent / seconds, 1) if seconds else None,
        "backend": "followups.backends.LogBackend",
    }
    log(
        f"  Send due messages: {sent} of {queued} sent in {seconds:.1f} s ({dispatch['per_second']}/s, {runs} task runs)"
        + (f"; and {others} of the dataset's own, due by then" if others else "")
    )
    report = {"moment": now.isoformat(), "jobs": results, "dispatch": dispatch}
    (out_dir / "jobs.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    log(f"Wrote {out_dir / 'jobs.json'}")
    return report
