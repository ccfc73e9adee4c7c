"""Closing a consultation: booked goes to signing; not booked becomes a call within the hour."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import CallTask
from studio import services
from studio.models import Visit
from tests.factories import CustomerFactory


@pytest.fixture
def visit(branch, receptionist, customer):
    return services.register_visit(branch=branch, registered_by=receptionist, customer=customer)


def _url(visit):
    return reverse("studio:visit", args=[visit.pk])


def test_it_shows_the_consultation(login, receptionist, visit):
    response = login(receptionist).get(_url(visit))
    assert response.status_code == 200
    assert response.context["visit"] == visit


def test_booked_goes_to_the_planning_document(login, receptionist, visit, package):
    response = login(receptionist).post(
        _url(visit),
        {
            "outcome": "booked",
            "budget": "9000",
            "packages_shown": [package.pk],
            "compared_studios": "Vera",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("orders:sign", args=[visit.customer_id])
    visit.refresh_from_db()
    assert visit.outcome == "booked" and visit.closed_at is not None
    assert list(visit.packages_shown.all()) == [package]
    assert not CallTask.objects.exists()


def test_not_booked_creates_a_call_for_customer_service_within_the_hour(
    login, receptionist, visit, customer_service
):
    before = timezone.now()
    response = login(receptionist).post(
        _url(visit),
        {
            "outcome": "not_booked",
            "not_booked_because": "price",
            "not_booked_reason": "Too expensive",
        },
    )
    assert response.status_code == 302
    task = CallTask.objects.get()
    assert task.assignee == customer_service
    assert task.kind == CallTask.Kind.VISIT_FOLLOWUP
    assert before < task.due_at <= timezone.now() + timedelta(hours=1)
    assert "Too expensive" in task.script_text
    tasks_page = login(customer_service).get(reverse("followups:tasks"))
    assert task in tasks_page.context["tasks"]


def test_not_booked_needs_a_reason(login, receptionist, visit, customer_service):
    response = login(receptionist).post(_url(visit), {"outcome": "not_booked"})
    assert response.status_code == 400
    assert "not_booked_reason" in response.context["form"].errors
    assert "not_booked_because" in response.context["form"].errors
    visit.refresh_from_db()
    assert visit.closed_at is None
    assert not CallTask.objects.exists()


def test_not_booked_records_the_kind_of_reason_the_report_counts(
    login, receptionist, visit, customer_service
):
    data = {"outcome": "not_booked", "not_booked_reason": "Over budget"}
    response = login(receptionist).post(_url(visit), {**data, "not_booked_because": "cheap"})
    assert response.status_code == 400
    assert "not_booked_because" in response.context["form"].errors
    response = login(receptionist).post(_url(visit), {**data, "not_booked_because": "price"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.not_booked_because == Visit.NotBookedBecause.PRICE
    page = login(receptionist).get(_url(visit)).content.decode()
    assert "Price or budget" in page


def test_the_service_refuses_not_booked_without_a_kind_of_reason(receptionist, visit):
    for because in ("", "cheap"):
        with pytest.raises(services.ValidationError) as refused:
            services.close_visit(
                visit=visit,
                staff=receptionist,
                outcome="not_booked",
                not_booked_reason="Over budget",
                not_booked_because=because,
            )
        assert "not_booked_because" in refused.value.message_dict
    visit.refresh_from_db()
    assert visit.closed_at is None and visit.not_booked_because == ""
    assert not CallTask.objects.exists()


def test_a_booked_visit_keeps_no_reason_not_booked(receptionist, visit):
    services.close_visit(
        visit=visit, staff=receptionist, outcome="booked", not_booked_because="price"
    )
    visit.refresh_from_db()
    assert visit.not_booked_because == ""


def test_a_negative_budget_is_refused(login, receptionist, visit):
    response = login(receptionist).post(_url(visit), {"outcome": "booked", "budget": "-5"})
    assert response.status_code == 400
    assert "budget" in response.context["form"].errors


def test_closing_twice_changes_nothing(receptionist, visit, customer_service):
    services.close_visit(
        visit=visit,
        staff=receptionist,
        outcome="not_booked",
        not_booked_reason="x",
        not_booked_because="other",
    )
    with pytest.raises(services.ValidationError):
        services.close_visit(visit=visit, staff=receptionist, outcome="booked")
    assert CallTask.objects.count() == 1


def test_it_rejects_delete(login, receptionist, visit):
    assert login(receptionist).delete(_url(visit)).status_code == 405


def test_field_roles_may_not_see_consultations(login, photographer, visit):
    assert login(photographer).get(_url(visit)).status_code == 403


def test_a_visit_of_another_branch_is_not_found(login, other_receptionist, visit):
    assert login(other_receptionist).get(_url(visit)).status_code == 404
    assert login(other_receptionist).post(_url(visit), {"outcome": "booked"}).status_code == 404
    assert Visit.objects.get().closed_at is None


def test_without_customer_service_the_taker_calls(branch, receptionist):
    couple = CustomerFactory(branch=branch, owner=receptionist)
    visit = services.register_visit(branch=branch, registered_by=receptionist, customer=couple)
    services.close_visit(
        visit=visit,
        staff=receptionist,
        outcome="not_booked",
        not_booked_reason="x",
        not_booked_because="other",
    )
    assert CallTask.objects.get().assignee == receptionist


def test_booking_at_a_later_visit_closes_the_follow_up_call(
    branch, receptionist, visit, customer_service
):
    services.close_visit(
        visit=visit,
        staff=receptionist,
        outcome="not_booked",
        not_booked_reason="Budget",
        not_booked_because="other",
    )
    again = services.register_visit(
        branch=branch, registered_by=receptionist, customer=visit.customer
    )
    services.close_visit(visit=again, staff=receptionist, outcome="booked")
    task = CallTask.objects.get()
    assert task.status == CallTask.Status.DONE
    assert task.outcome_text == "Booked at a later visit"
    assert task.done_by == receptionist
