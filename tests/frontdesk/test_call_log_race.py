"""Two people logging the same call at the same instant: it is closed once, by the first,
and the second is told who logged it (the task's row lock in close_call_task)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import CallTask
from followups.services import close_call_task, create_call_task
from studio import roles
from studio.services import AlreadyDone
from tests.races import run_together


@pytest.mark.django_db(transaction=True)
def test_two_logs_of_the_same_call_at_once_close_it_once(customer, customer_service, make_staff):
    colleague = make_staff(roles.CUSTOMER_SERVICE, display_name="Chen Jing")
    task = create_call_task(
        customer=customer,
        kind=CallTask.Kind.VISIT_FOLLOWUP,
        due_at=timezone.now() + timedelta(hours=1),
        occasion="race:1",
        assignee=customer_service,
        script="Ask about the budget",
    )

    def log(staff, status, outcome):
        return lambda: close_call_task(
            task=CallTask.objects.get(pk=task.pk), staff=staff, status=status, outcome=outcome
        )

    results = run_together(
        log(customer_service, CallTask.Status.DONE, "Booked for Saturday"),
        log(colleague, CallTask.Status.FAILED, "No answer"),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert isinstance(next(v for k, v in results if k == "error"), AlreadyDone)
    winner = next(v for k, v in results if k == "ok")
    task.refresh_from_db()
    # What is on file is the call that was logged, not a mix of the two.
    assert (task.status, task.outcome, task.done_by_id) == (
        winner.status,
        winner.outcome,
        winner.done_by_id,
    )
