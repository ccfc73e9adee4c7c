import secrets
from datetime import timedelta

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from orders.models import Order
from studio.models import Branch, Kept, Staff
from studio.request_keys import key_column


class Step(models.TextChoices):
    """The stations of the shooting day, in the order a couple walks them (工作流程单)."""

    DRESS = "dress", _("Dress selection")
    MAKEUP = "makeup", _("Makeup")
    SHOOTING = "shooting", pgettext_lazy("station", "Shooting")
    CHANGE = "change", _("Change dress")
    RE_MAKEUP = "re_makeup", _("Re-makeup")
    OUTDOOR = "outdoor", _("Outdoor scenes")
    FINISH = "finish", _("Finish")
    REMOVE_MAKEUP = "remove_makeup", _("Remove makeup")


class OutfitKind(models.TextChoices):
    WHITE_GOWN = "white_gown", _("White gown")
    EVENING_DRESS = "evening_dress", _("Evening dress")
    SPECIALTY = "specialty", _("Specialty costume")


# Minutes per step when a branch has not set its own (DOMAIN.md, stage 3).
DEFAULT_BUDGETS = {
    Step.DRESS: 20,
    Step.MAKEUP: 60,
    Step.CHANGE: 10,
    Step.RE_MAKEUP: 15,
    Step.OUTDOOR: 90,
    Step.FINISH: 10,
    Step.REMOVE_MAKEUP: 15,
    OutfitKind.WHITE_GOWN: 40,
    OutfitKind.EVENING_DRESS: 25,
    OutfitKind.SPECIALTY: 15,
}
BUDGET_CHOICES = [*Step.choices, *OutfitKind.choices]


class TimeBudget(models.Model):
    """A branch's own time budget for a step or an outfit set, overriding the default."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="time_budgets")
    step = models.CharField(_("step or outfit"), max_length=20, choices=BUDGET_CHOICES)
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("time budget")
        verbose_name_plural = _("time budgets")
        constraints = [
            models.UniqueConstraint(fields=["branch", "step"], name="time_budget_per_branch_step")
        ]

    def __str__(self):
        return f"{self.branch.code} {self.get_step_display()}: {self.minutes}"


class Room(models.Model):
    """A studio room, or an outdoor plan that needs a vehicle."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=60)
    is_outdoor = models.BooleanField(_("outdoor plan"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["branch", "name"]

    def __str__(self):
        return self.name


class Vehicle(models.Model):
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="vehicles")
    name = models.CharField(_("name"), max_length=60)
    plate = models.CharField(_("number plate"), max_length=20, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["branch", "name"]

    def __str__(self):
        return self.name


class Shoot(Kept):
    """A booking on the photography control sheet (摄控表).

    A moved shoot keeps its row (status "moved") and the new one points back to it, so a
    reschedule keeps its history.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CHECKED_IN = "checked_in", _("Checked in")
        FINISHED = "finished", _("Finished")
        NO_SHOW = "no_show", _("No-show")
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")

    class Confirmation(models.TextChoices):
        PENDING = "pending", _("Not confirmed yet")
        CONFIRMED = "confirmed", _("Confirmed")
        RESCHEDULE = "reschedule", _("Wants to reschedule")
        NO_ANSWER = "no_answer", _("No answer")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shoots")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="shoots")
    starts_at = models.DateTimeField(_("arrival"))
    ends_at = models.DateTimeField(_("planned finish"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    photographer = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("photographer"),
    )  # fmt: skip
    assistant = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("assistant"),
    )  # fmt: skip
    makeup_artist = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("makeup artist"),
    )  # fmt: skip
    dress_stylist = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("dress stylist"),
    )  # fmt: skip
    driver = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("driver"),
    )  # fmt: skip
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="shoots",
        verbose_name=_("room"),
    )  # fmt: skip
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="shoots",
        verbose_name=_("vehicle"),
    )  # fmt: skip
    moved_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="moved_to",
        verbose_name=_("moved from"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The booking form's one-time key: the same form sent twice books once.
    request_key = key_column(editable=False)
    confirmation = models.CharField(
        _("confirmation"), max_length=12, choices=Confirmation.choices,
        default=Confirmation.PENDING,
    )  # fmt: skip
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    late_minutes = models.PositiveSmallIntegerField(_("minutes late"), default=0)
    briefed_at = models.DateTimeField(_("briefed at"), null=True, blank=True)
    locker_key = models.CharField(_("locker key"), max_length=10, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shoot")
        verbose_name_plural = _("shoots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shoot_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "starts_at"], name="shoot_branch_start"),
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["starts_at", "branch"], name="shoot_starts"),
        ]

    def __str__(self):
        return f"{self.order} {self.starts_at:%Y-%m-%d %H:%M}"

    PEOPLE = ("photographer", "assistant", "makeup_artist", "dress_stylist", "driver")

    def people(self):
        """(role label, staff) for everyone booked on this shoot."""
        found = []
        for name in self.PEOPLE:
            person = getattr(self, name)
            if person is not None:
                found.append((self._meta.get_field(name).verbose_name, person))
        return found

    def staff_ids(self):
        return {getattr(self, f"{name}_id") for name in self.PEOPLE} - {None}

    @property
    def expected_end(self):
        """The planned finish moved on by a late start."""
        return self.ends_at + timedelta(minutes=self.late_minutes)

    @property
    def outfits(self):
        """The outfit sets of the plan, in order, without makeup or changes (uses a
        prefetched plan), so a list of them needs no comma logic in templates."""
        return [line for line in self.plan.all() if line.is_outfit]

    @property
    def is_active(self):
        return self.status in (self.Status.PLANNED, self.Status.CHECKED_IN)


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that other databases leave out.

    `make run` uses SQLite, which has no exclusion constraints: there the booking
    service's own check (under a lock) is the guarantee.
    """

    @staticmethod
    def _supported(connection):
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        if self._supported(schema_editor.connection):
            return super().constraint_sql(model, schema_editor)
        return None

    def create_sql(self, model, schema_editor):
        if self._supported(schema_editor.connection):
            return super().create_sql(model, schema_editor)
        return None

    def remove_sql(self, model, schema_editor):
        if self._supported(schema_editor.connection):
            return super().remove_sql(model, schema_editor)
        return None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if self._supported(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)


class ResourceBooking(models.Model):
    """One person, room or vehicle held for a shoot's time.

    `resource` is "staff:<pk>", "room:<pk>" or "vehicle:<pk>". On PostgreSQL an exclusion
    constraint makes an overlapping booking of the same resource impossible; the booking
    service checks first, to name what clashes. Only live bookings are kept: a shoot that
    moves, is cancelled or is missed gives its resources back.
    """

    shoot = models.ForeignKey(Shoot, on_delete=models.CASCADE, related_name="bookings")
    resource = models.CharField(max_length=30)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        verbose_name = _("resource booking")
        verbose_name_plural = _("resource bookings")
        indexes = [models.Index(fields=["resource", "starts_at"], name="booking_resource_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            PostgresExclusionConstraint(
                name="no_double_booking",
                expressions=[
                    ("resource", RangeOperators.EQUAL),
                    (
                        TsTzRange("starts_at", "ends_at", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class PlannedSet(models.Model):
    """One line of the outfit plan: an outfit set (or makeup, a change…) with its budget."""

    shoot = models.ForeignKey(Shoot, on_delete=models.CASCADE, related_name="plan")
    position = models.PositiveSmallIntegerField()
    step = models.CharField(_("step or outfit"), max_length=20, choices=BUDGET_CHOICES)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    look = models.CharField(_("look"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("planned set")
        verbose_name_plural = _("outfit plan")
        ordering = ["shoot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["shoot", "position"], name="planned_set_position")
        ]

    def __str__(self):
        return f"{self.get_step_display()} ({self.minutes} min)"

    @property
    def is_outfit(self):
        return self.step in OutfitKind.values

    @property
    def station(self):
        """The station this line of the plan happens at."""
        return Step.SHOOTING if self.is_outfit else Step(self.step)

    @property
    def seat(self):
        """Who on the shoot looks after the couple at this line of the plan."""
        return STATION_SEATS[self.station]


STATION_SEATS = {
    Step.DRESS: "dress_stylist",
    Step.MAKEUP: "makeup_artist",
    Step.SHOOTING: "photographer",
    Step.CHANGE: "dress_stylist",
    Step.RE_MAKEUP: "makeup_artist",
    Step.OUTDOOR: "photographer",
    Step.FINISH: "assistant",
    Step.REMOVE_MAKEUP: "makeup_artist",
}


class HandOff(models.Model):
    """手把手: a couple moved to a station and into someone's hands, with one tap."""

    shoot = models.ForeignKey(Shoot, on_delete=models.CASCADE, related_name="handoffs")
    step = models.CharField(_("station"), max_length=20, choices=Step.choices)
    plan_line = models.ForeignKey(
        PlannedSet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("step of the plan"),
    )  # fmt: skip
    from_staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=pgettext_lazy("hand-off", "from"),
    )  # fmt: skip
    to_staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=pgettext_lazy("hand-off", "to"),
    )  # fmt: skip
    at = models.DateTimeField(_("time"), default=timezone.now)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["shoot", "at", "pk"]

    def __str__(self):
        return f"{self.shoot}: {self.get_step_display()} → {self.to_staff or '—'}"


class OutdoorTrip(models.Model):
    shoot = models.ForeignKey(Shoot, on_delete=models.CASCADE, related_name="trips")
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="trips", verbose_name=_("vehicle")
    )
    driver = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("driver")
    )
    departed_at = models.DateTimeField(_("departed at"), default=timezone.now)
    returned_at = models.DateTimeField(
        pgettext_lazy("outdoor trip", "returned at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("outdoor trip")
        verbose_name_plural = _("outdoor trips")
        ordering = ["departed_at"]

    def __str__(self):
        return f"{self.shoot} {self.vehicle} {self.departed_at:%H:%M}"


class ShootVisit(models.Model):
    """探班: the owner or the selection consultant came by during the shoot."""

    shoot = models.ForeignKey(Shoot, on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("visitor")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("visit during the shoot")
        verbose_name_plural = _("visits during shoots")
        ordering = ["at"]

    def __str__(self):
        return f"{self.visitor} @ {self.shoot}"


def _new_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The private address of a staff member's calendar (iCalendar) for their phone."""

    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.staff)
