"""The confirmation-call planner runs every 15 minutes over every shoot of the coming week
(issue 11: 2,300 queries a run at chain scale): a run that has nothing new to plan asks a
fixed number of queries, however many shoots are coming."""

from datetime import timedelta

from followups.models import CallTask
from shoots import services


def test_a_run_with_every_call_planned_asks_three_queries(
    book, make_order, in_ten_days, django_assert_max_num_queries
):
    for day in range(3):
        book(make_order(), starts_at=in_ten_days + timedelta(days=day - 1))
    now = in_ten_days - timedelta(days=6)
    assert services.plan_confirmation_calls(now=now) == 3
    assert CallTask.objects.filter(kind=CallTask.Kind.SHOOT_CONFIRM).count() == 3
    with django_assert_max_num_queries(3):
        assert services.plan_confirmation_calls(now=now + timedelta(minutes=15)) == 3
    assert CallTask.objects.filter(kind=CallTask.Kind.SHOOT_CONFIRM).count() == 3


def test_a_run_still_cancels_another_open_confirmation_call_of_the_order(
    book, order, in_ten_days, receptionist
):
    shoot = book(order)
    now = in_ten_days - timedelta(hours=20)
    services.plan_confirmation_calls(now=now)
    planned = CallTask.objects.get(occasion=f"shoot-confirm-1d:{shoot.pk}")
    planned.status = CallTask.Status.DONE
    planned.save()
    stray = CallTask.objects.create(
        branch=order.branch,
        customer=order.customer,
        order=order,
        assignee=receptionist,
        kind=CallTask.Kind.SHOOT_CONFIRM,
        occasion="shoot-confirm-7d:elsewhere",
        due_at=now,
    )
    services.plan_confirmation_calls(now=now + timedelta(minutes=15))
    stray.refresh_from_db()
    assert stray.status == CallTask.Status.CANCELLED
