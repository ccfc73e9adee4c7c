"""Complaints: logged from the customer file with an owner, resolved once, shown on the
timeline."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followups.models import Complaint
from followups.services import log_complaint, resolve_complaint
from studio import roles
from studio.services import AlreadyDone
from tests.factories import CustomerFactory


def url(customer):
    return reverse("followups:log_complaint", args=[customer.pk])


def test_it_logs_a_complaint_with_the_couples_owner(login, make_staff, customer, receptionist):
    desk = make_staff(roles.CUSTOMER_SERVICE)
    response = login(desk).post(
        url(customer), {"text": "Photos were late.", "owner": receptionist.pk}
    )
    assert response.status_code == 302 and response.url == reverse(
        "overview:customer", args=[customer.pk]
    )
    complaint = Complaint.objects.get()
    assert complaint.owner == receptionist and complaint.logged_by == desk
    assert complaint.branch == customer.branch and complaint.order is None


def test_the_complaint_is_on_the_customer_file(login, receptionist, customer):
    log_complaint(customer=customer, text="Rude driver.", logged_by=receptionist)
    response = login(receptionist).get(reverse("overview:customer", args=[customer.pk]))
    body = response.content.decode()
    assert "Rude driver." in body and 'data-testid="log-complaint"' in body


def test_it_shows_the_form_with_the_owner_chosen(login, receptionist, customer):
    response = login(receptionist).get(url(customer))
    assert response.status_code == 200
    assert response.context["form"]["owner"].value() == receptionist.pk


def test_an_empty_complaint_is_refused_at_the_field(login, receptionist, customer):
    response = login(receptionist).post(url(customer), {"text": "  ", "owner": receptionist.pk})
    assert response.status_code == 200 and response.context["form"].errors["text"]
    assert not Complaint.objects.exists()


def test_another_couples_order_is_refused(login, receptionist, customer, branch, make_order):
    other = make_order(customer=CustomerFactory(branch=branch, owner=receptionist))
    response = login(receptionist).post(
        url(customer), {"text": "Wrong album", "order": other.pk, "owner": receptionist.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors["order"]
    assert not Complaint.objects.exists()


def test_it_refuses_put(login, receptionist, customer):
    assert login(receptionist).put(url(customer)).status_code == 405


def test_field_staff_may_not_log_complaints(login, photographer, customer):
    assert login(photographer).get(url(customer)).status_code == 403


def test_another_branchs_couple_is_a_404(login, receptionist, other_branch):
    stranger = CustomerFactory(branch=other_branch)
    assert login(receptionist).get(url(stranger)).status_code == 404
    assert login(receptionist).post(url(stranger), {"text": "x"}).status_code == 404


def test_a_complaint_is_resolved_once(receptionist, manager, customer):
    complaint = log_complaint(customer=customer, text="Late", logged_by=receptionist)
    with pytest.raises(ValidationError):
        resolve_complaint(complaint=complaint, resolution=" ", by=manager)
    first = resolve_complaint(complaint=complaint, resolution="Free frame", by=manager)
    with pytest.raises(AlreadyDone, match="Already resolved by Wang Fang .*: Free frame"):
        resolve_complaint(complaint=complaint, resolution="Other", by=receptionist)
    complaint.refresh_from_db()
    assert complaint.resolution == "Free frame" and complaint.resolved_by == manager
    assert complaint.resolved_at == first.resolved_at


def test_it_renders_in_both_languages(login, receptionist, customer):
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    assert "登记投诉" in client.get(url(customer)).content.decode()
    client.cookies["django_language"] = "en"
    assert "Log a complaint" in client.get(url(customer)).content.decode()


def _admin_manager(manager):
    manager.user.is_staff = True
    manager.user.save(update_fields=["is_staff"])
    return manager


def test_the_admin_asks_for_a_resolution_and_keeps_a_resolved_one(
    login, receptionist, manager, customer
):
    complaint = log_complaint(customer=customer, text="Late", logged_by=receptionist)
    client = login(_admin_manager(manager))
    url = reverse("admin:followups_complaint_change", args=[complaint.pk])
    refused = client.post(url, {"resolution": "  "})
    assert refused.status_code == 200 and "This field is required" in refused.text
    complaint.refresh_from_db()
    assert complaint.resolved_at is None
    assert client.post(url, {"resolution": "Free frame"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.resolution == "Free frame" and complaint.resolved_by == manager
    page = client.get(url).text
    assert 'name="resolution"' not in page  # resolved once: read-only now
