"""Every periodic task of the studio, in one place.

Celery beat reads its schedule from the database (django-celery-beat's DatabaseScheduler)
so managers can see, re-time or switch off a task in the admin. This list is what the
database starts with: `python manage.py setup_periodic_tasks` (run by `make run` and at
every deploy, after `migrate`) creates the entries that are missing and keeps each one's
task and description as written here, without undoing a manager's timing or switch
(`--reset` puts the timing declared here back). tests/studio/test_schedule.py fails when
a task is neither scheduled here nor named in ON_DEMAND.
"""

from dataclasses import dataclass, field

SECONDS, MINUTES, HOURS = "seconds", "minutes", "hours"  # django-celery-beat's periods


@dataclass(frozen=True)
class Periodic:
    name: str  # the entry's name in the admin; the key the command finds it by
    task: str
    every: int
    period: str
    description: str
    kwargs: dict = field(default_factory=dict)


SCHEDULE = [
    # Every minute: the worker writes a heartbeat, so the managers' page shows that the
    # worker and beat are alive (and when they stopped).
    Periodic(
        name="Worker heartbeat",
        task="studio.tasks.heartbeat",
        every=60,
        period=SECONDS,
        kwargs={"name": "beat"},
        description="Proves the worker and beat are alive; shown to managers.",
    ),
    # Every minute: the outbox sends the SMS, WeChat, e-mail and letters whose time has
    # come (quiet hours respected); safe to overlap.
    Periodic(
        name="Send due messages",
        task="followups.tasks.dispatch_messages",
        every=60,
        period=SECONDS,
        description="Sends queued SMS, WeChat, e-mail and letters when they are due.",
    ),
    # Every 10 minutes: the aftercare rules (managers' data) whose moment has passed
    # create their call tasks and queue their messages, once per occasion.
    Periodic(
        name="Run the care rules",
        task="followups.tasks.run_care_rules",
        every=10,
        period=MINUTES,
        description="Aftercare: call tasks and messages of the care rules that are due.",
    ),
    # Every 15 minutes: a confirmation call task 7 days and 1 day before each shoot.
    Periodic(
        name="Shoot confirmation calls",
        task="shoots.tasks.plan_confirmation_calls",
        every=15,
        period=MINUTES,
        description="7 days and 1 day before each shoot, a confirmation call task.",
    ),
    # Every 15 minutes: a confirmation call task 1 day before each selection appointment.
    Periodic(
        name="Selection confirmation calls",
        task="selection.tasks.plan_selection_calls",
        every=15,
        period=MINUTES,
        description="1 day before each selection appointment, a confirmation call task.",
    ),
    # Every 5 minutes: the couples whose photos all have their previews (and no upload
    # for 10 minutes) get their link to mark favourites at home, once per order.
    Periodic(
        name="Photos ready for the couple",
        task="selection.tasks.announce_ready_photos",
        every=5,
        period=MINUTES,
        description="When a session's photos all have their previews, the couple's link, once.",
    ),
    # Every hour: a call task for the owner of each production item due in 2 days and
    # not done yet.
    Periodic(
        name="Late production alerts",
        task="selection.tasks.alert_late_production",
        every=1,
        period=HOURS,
        description="2 days before an item is due, a call task for the owner if it is not done.",
    ),
    # Every hour: commissions for ledger entries and finished shoots written without the
    # signal (bulk loads); each is credited once whoever gets there first.
    Periodic(
        name="Commissions sweep",
        task="commissions.tasks.credit_new_entries",
        every=1,
        period=HOURS,
        description="Commission credits for money and shoots the signal did not see.",
    ),
]

# Tasks of ours that are queued by the code when something happens, never by beat.
ON_DEMAND: set[str] = {"selection.tasks.process_photo"}
