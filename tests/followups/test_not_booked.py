"""A visit that did not book: customer service reads the consultation on their list at once,
calls within the hour, and the couple gets a thank-you SMS in the taker's name after 30 min."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from followups.models import CallTask, OutboxMessage
from studio import roles, services
from studio.models import Visit

AFTERNOON = datetime(2026, 6, 1, 15, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def visit(branch, receptionist, customer):
    with time_machine.travel(AFTERNOON - timedelta(minutes=40), tick=False):
        return services.register_visit(
            branch=branch,
            registered_by=receptionist,
            customer=customer,
            reason="Saw the window display",
        )


@pytest.fixture
def closed(visit, receptionist, customer_service, package):
    with time_machine.travel(AFTERNOON, tick=False):
        return services.close_visit(
            visit=visit,
            staff=receptionist,
            outcome=Visit.Outcome.NOT_BOOKED,
            compared_studios="Golden Studio",
            budget=Decimal("6000"),
            packages_shown=[package],
            not_booked_reason="Wants to ask her parents",
            not_booked_because="other",
        )


def test_it_queues_the_thank_you_sms_thirty_minutes_later(closed, customer, receptionist):
    message = OutboxMessage.objects.get()
    assert message.customer == customer
    assert message.template_key == "visit_not_booked"
    assert message.send_after == AFTERNOON + timedelta(minutes=30)
    assert receptionist.display_name in message.body
    assert receptionist.personal_phone not in message.body


def test_the_call_is_linked_to_the_consultation(closed, customer_service):
    task = CallTask.objects.get()
    assert task.visit == closed and task.assignee == customer_service
    assert task.due_at == AFTERNOON + timedelta(hours=1)


def test_a_booked_visit_queues_nothing(visit, receptionist):
    services.close_visit(visit=visit, staff=receptionist, outcome=Visit.Outcome.BOOKED)
    assert not OutboxMessage.objects.exists() and not CallTask.objects.exists()


def test_closing_twice_queues_one_message(closed, receptionist):
    with pytest.raises(services.ValidationError):
        services.close_visit(
            visit=closed,
            staff=receptionist,
            outcome=Visit.Outcome.NOT_BOOKED,
            not_booked_reason="again",
            not_booked_because="other",
        )
    assert OutboxMessage.objects.count() == 1


def test_customer_service_reads_the_consultation_on_their_list(
    login, closed, customer_service, package
):
    response = login(customer_service).get(reverse("followups:tasks"))
    html = response.content.decode()
    assert 'data-testid="consultation"' in html
    for seen in (
        "¥6,000.00",
        "Golden Studio",
        package.name,
        "Wants to ask her parents",
        "Saw the window display",
        reverse("studio:visit", args=[closed.pk]),
    ):
        assert seen in html


def test_a_dispatcher_covering_the_calls_does_not_see_the_budget(
    login, closed, customer_service, make_staff, branch
):
    dispatcher = make_staff(roles.DISPATCHER)
    today = branch.today()
    services.record_leave(staff=customer_service, starts_on=today, ends_on=today, agent=dispatcher)
    html = login(dispatcher).get(reverse("followups:tasks")).content.decode()
    assert "Golden Studio" in html and "¥6,000.00" not in html


def test_the_list_with_consultations_keeps_a_fixed_query_count(
    login, branch, receptionist, customer_service, package, django_assert_max_num_queries
):
    from tests.factories import CustomerFactory

    for n in range(10):
        visit = services.register_visit(
            branch=branch, registered_by=receptionist, customer=CustomerFactory(branch=branch)
        )
        services.close_visit(
            visit=visit,
            staff=receptionist,
            outcome=Visit.Outcome.NOT_BOOKED,
            packages_shown=[package],
            not_booked_reason=f"reason {n}",
            not_booked_because="other",
        )
    client = login(customer_service)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("followups:tasks"))
    assert len(response.context["tasks"]) == 10
