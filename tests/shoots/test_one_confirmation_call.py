"""One shoot, one open confirmation call (issue 8: a shoot had two identical ones).

Cause: a shoot booked less than a day ahead (or a 7-day call nobody made by the day
before) reached both call points in one run of the planner, which planned both, due at the
same minute with the same script; a moved shoot also kept its old calls.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from followups.models import CallTask
from shoots import services


def _open():
    return CallTask.objects.filter(status=CallTask.Status.OPEN)


def test_a_shoot_booked_hours_ahead_gets_one_call(book, order):
    book(order, starts_at=timezone.now() + timedelta(hours=10), short_notice_confirmed=True)
    services.plan_confirmation_calls()
    services.plan_confirmation_calls()
    assert CallTask.objects.count() == 1
    assert CallTask.objects.get().occasion.startswith("shoot-confirm-1d:")


def test_the_7_day_call_not_made_is_superseded_the_day_before(book, order, in_ten_days):
    shoot = book(order)
    services.plan_confirmation_calls(now=in_ten_days - timedelta(days=6))
    services.plan_confirmation_calls(now=in_ten_days - timedelta(hours=20))
    assert _open().get().occasion == f"shoot-confirm-1d:{shoot.pk}"
    assert CallTask.objects.get(occasion__startswith="shoot-confirm-7d").status == "cancelled"


def test_moving_the_shoot_cancels_its_call_and_the_new_date_gets_one(
    book, order, in_ten_days, crew
):
    book(order)
    services.plan_confirmation_calls(now=in_ten_days - timedelta(days=6))
    moved = book(order, starts_at=in_ten_days + timedelta(days=1))
    assert not _open().exists()
    services.plan_confirmation_calls(now=in_ten_days - timedelta(days=5))
    assert _open().get().occasion == f"shoot-confirm-7d:{moved.pk}"


def test_cancelling_the_shoot_cancels_its_call(book, order, in_ten_days, crew):
    shoot = book(order)
    services.plan_confirmation_calls(now=in_ten_days - timedelta(days=6))
    services.cancel_shoot(shoot=shoot, by=crew.dispatcher)
    assert not _open().exists()


def test_the_database_refuses_a_second_open_confirmation_call(book, order, in_ten_days):
    book(order)
    services.plan_confirmation_calls(now=in_ten_days - timedelta(days=6))
    first = CallTask.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CallTask.objects.create(
            branch=first.branch,
            customer=first.customer,
            order=first.order,
            assignee=first.assignee,
            kind=CallTask.Kind.SHOOT_CONFIRM,
            occasion="shoot-confirm-again",
            due_at=first.due_at,
            script=first.script,
        )
