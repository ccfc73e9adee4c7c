"""Writes for the viewing control sheet (看样控制表). Each is one transaction.

The Order's state changes go through orders.services.transition_order only.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followups.models import CallTask
from followups.services import create_call_task
from orders.models import Order, State
from studio import roles
from studio.models import Branch, Staff

from .models import SelectionSession
from .selectors import session_minutes


def _local(moment, branch, fmt):
    return date_format(timezone.localtime(moment, branch.tzinfo), fmt)


def book_selection(*, order, starts_at, consultant, by, now=None):
    """Book (or move) the couple's selection appointment after the shoot (DOMAIN.md, stage
    4: the appointment comes from the viewing control sheet).

    The order must be shot; the time in the future; the consultant a selection consultant
    of the order's branch, never holding two overlapping sessions. A session lasts the
    branch's session length (2 hours unless set). The clash check runs under a lock on the
    branch and on the consultant (who may work at two branches), so two desks booking at
    once cannot both win. Returns the SelectionSession.
    """
    now = now or timezone.now()
    branch = order.branch
    errors = {}
    if (
        consultant is None
        or not consultant.is_active
        or not consultant.has_role(roles.SELECTION_CONSULTANT)
        or not consultant.branches.filter(pk=branch.pk).exists()
    ):
        errors["consultant"] = _("Choose a selection consultant of this branch.")
    if starts_at <= now:
        errors["starts_at"] = _("Choose a time in the future.")
    if errors:
        raise ValidationError(errors)
    ends_at = starts_at + timedelta(minutes=session_minutes(branch))

    with transaction.atomic():
        Branch.objects.select_for_update().get(pk=branch.pk)
        Staff.objects.select_for_update().get(pk=consultant.pk)
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state != State.SHOT:
            raise ValidationError(
                _("This order is %(state)s: its selection cannot be booked now.")
                % {"state": locked.get_state_display()}
            )
        clash = (
            SelectionSession.objects.filter(
                consultant=consultant, appointment_at__lt=ends_at, appointment_ends_at__gt=starts_at
            )
            .exclude(order=locked)
            .select_related("order__customer", "order__branch")
            .order_by("appointment_at")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "consultant": _(
                        "%(who)s already has a selection %(from)s–%(to)s (%(couple)s, "
                        "order %(order)s)."
                    )
                    % {
                        "who": consultant.display_name,
                        "from": _local(clash.appointment_at, branch, "SHORT_DATETIME_FORMAT"),
                        "to": _local(clash.appointment_ends_at, branch, "TIME_FORMAT"),
                        "couple": clash.order.customer,
                        "order": clash.order.number,
                    }
                }
            )
        session, _created = SelectionSession.objects.select_for_update().get_or_create(order=locked)
        session.appointment_at = starts_at
        session.appointment_ends_at = ends_at
        session.consultant = consultant
        session.booked_by = by
        session.save(
            update_fields=["appointment_at", "appointment_ends_at", "consultant", "booked_by"]
        )
    return session


def mark_files(*, order, transferred, complete, photo_count, by, now=None):
    """The day before the selection the consultant checks that the image files (影像档)
    are transferred and complete; start_selection's guard reads it (DOMAIN.md, stage 4)."""
    errors = {}
    if complete and not transferred:
        errors["complete"] = _("The files can only be checked complete once they are transferred.")
    if transferred and not photo_count:
        errors["photo_count"] = _("Count the photos that were transferred.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state != State.SHOT:
            raise ValidationError(
                _("This order is %(state)s: its image files cannot be changed now.")
                % {"state": locked.get_state_display()}
            )
        session, _created = SelectionSession.objects.select_for_update().get_or_create(order=locked)
        if transferred:
            session.files_transferred_at = session.files_transferred_at or now or timezone.now()
        else:
            session.files_transferred_at = None
        session.files_complete = complete
        session.photo_count = photo_count
        session.files_checked_by = by
        session.save(
            update_fields=[
                "files_transferred_at",
                "files_complete",
                "photo_count",
                "files_checked_by",
            ]
        )
    return session


def confirmation_script(session):
    branch = session.order.branch
    return _(
        "Confirm the selection on %(day)s at %(time)s with %(consultant)s; it takes about "
        "%(minutes)s minutes. Both of them should come, to choose together."
    ) % {
        "day": _local(session.appointment_at, branch, "DATE_FORMAT"),
        "time": _local(session.appointment_at, branch, "TIME_FORMAT"),
        "consultant": session.consultant.display_name if session.consultant else "—",
        "minutes": int(
            (session.appointment_ends_at - session.appointment_at).total_seconds() // 60
        ),
    }


def plan_selection_calls(*, now=None):
    """1 day before each selection appointment, a confirmation call on the owner's list
    (DOMAIN.md, stage 8: selection, 1 day before).

    Idempotent: each call has its occasion ("selection-confirm-1d:<session>"), so running it
    every 15 minutes, or twice, creates it once. Returns how many sessions it looked at.
    """
    now = now or timezone.now()
    sessions = SelectionSession.objects.filter(
        order__state=State.SHOT,
        appointment_at__gt=now,
        appointment_at__lte=now + timedelta(days=1),
    ).select_related("order__customer__branch", "order__owner", "order__branch", "consultant")
    made = 0
    for session in sessions:
        order = session.order
        create_call_task(
            customer=order.customer,
            order=order,
            assignee=order.owner,
            kind=CallTask.Kind.SELECTION_CONFIRM,
            due_at=max(session.appointment_at - timedelta(days=1), now),
            occasion=f"selection-confirm-1d:{session.pk}",
            script=confirmation_script(session),
        )
        made += 1
    return made
