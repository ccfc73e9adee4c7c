"""Leave and agents: work routes to the agent, who is told on whose behalf."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import CallTask
from followups.services import create_call_task
from studio import roles, services
from studio.models import Leave

URL = reverse("studio:leave")


@pytest.fixture
def agent(make_staff):
    return make_staff(roles.RECEPTIONIST, display_name="Agent Xu")


def test_responsible_for_is_the_agent_during_leave_only(branch, receptionist, agent):
    today = branch.today()
    services.record_leave(staff=receptionist, starts_on=today, ends_on=today, agent=agent)
    assert services.responsible_for(receptionist, on=today) == agent
    assert services.responsible_for(receptionist, on=today + timedelta(days=1)) == receptionist


def test_an_agent_on_leave_passes_it_on(branch, receptionist, agent, manager):
    today = branch.today()
    services.record_leave(staff=receptionist, starts_on=today, ends_on=today, agent=agent)
    services.record_leave(staff=agent, starts_on=today, ends_on=today, agent=manager)
    assert services.responsible_for(receptionist, on=today) == manager


def test_a_circle_of_agents_ends(branch, receptionist, agent):
    today = branch.today()
    services.record_leave(staff=receptionist, starts_on=today, ends_on=today, agent=agent)
    services.record_leave(staff=agent, starts_on=today, ends_on=today, agent=receptionist)
    assert services.responsible_for(receptionist, on=today) in {receptionist, agent}


def test_calls_for_someone_on_leave_go_to_the_agent(branch, receptionist, agent, customer):
    today = branch.today()
    services.record_leave(staff=receptionist, starts_on=today, ends_on=today, agent=agent)
    task = create_call_task(
        customer=customer, kind=CallTask.Kind.OTHER, due_at=timezone.now(), occasion="leave:1"
    )
    assert task.assignee == agent


def test_it_records_leave(login, receptionist, agent):
    today = timezone.localdate()
    response = login(receptionist).post(
        URL,
        {
            "starts_on": today,
            "ends_on": today + timedelta(days=2),
            "agent": agent.pk,
            "message": "Back Friday",
        },
    )
    assert response.status_code == 302
    assert Leave.objects.get().agent == agent


def test_it_refuses_a_backwards_leave(login, receptionist, agent):
    today = timezone.localdate()
    response = login(receptionist).post(
        URL, {"starts_on": today, "ends_on": today - timedelta(days=1), "agent": agent.pk}
    )
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert not Leave.objects.exists()


def test_it_refuses_overlapping_leave(login, receptionist, agent):
    today = timezone.localdate()
    services.record_leave(staff=receptionist, starts_on=today, ends_on=today, agent=agent)
    response = login(receptionist).post(
        URL, {"starts_on": today, "ends_on": today, "agent": agent.pk}
    )
    assert response.status_code == 400
    assert Leave.objects.count() == 1


def test_an_agent_from_another_branch_cannot_be_chosen(login, receptionist, other_receptionist):
    today = timezone.localdate()
    response = login(receptionist).post(
        URL, {"starts_on": today, "ends_on": today, "agent": other_receptionist.pk}
    )
    assert response.status_code == 400
    assert "agent" in response.context["form"].errors


def test_it_rejects_put(login, receptionist):
    assert login(receptionist).put(URL).status_code == 405


def test_it_is_for_logged_in_staff_only(client):
    assert client.get(URL).status_code == 302
