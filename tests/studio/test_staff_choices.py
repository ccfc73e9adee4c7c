"""A superuser account without a role (the chain's IT admin) is nobody's colleague: it is
offered in no list of staff to choose from."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from followups.forms import ComplaintForm
from pickup.forms import PickupForm
from selection.selectors import consultants
from shoots.selectors import free_resources
from studio import roles
from studio.forms import LeaveForm
from studio.models import Staff


@pytest.fixture
def admin(branch):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "x")
    staff = Staff.objects.create(user=user, display_name="Admin")
    staff.branches.set([branch])
    return staff


def test_colleagues_are_the_people_with_a_role(admin, receptionist, make_staff):
    gone = make_staff(roles.RECEPTIONIST, is_active=False)
    colleagues = set(Staff.objects.colleagues())
    assert receptionist in colleagues
    assert admin not in colleagues and gone not in colleagues


def test_no_staff_choice_offers_the_admin(admin, branch, manager, customer, make_staff):
    from django.utils import timezone

    clerk = make_staff(roles.PICKUP_CLERK)
    consultant = make_staff(roles.SELECTION_CONSULTANT)
    choices = {
        "agent": LeaveForm(staff=manager).fields["agent"].queryset,
        "complaint owner": ComplaintForm(customer=customer).fields["owner"].queryset,
        "pickup clerk": PickupForm(branch=branch).fields["clerk"].queryset,
        "consultant": consultants(branch),
    }
    for name, queryset in choices.items():
        assert admin not in set(queryset), name
    assert clerk in set(choices["pickup clerk"]) and consultant in set(choices["consultant"])
    assert customer.owner in set(choices["complaint owner"])
    now = timezone.now()
    people = free_resources(branch=branch, starts_at=now, ends_at=now)["people"]
    assert all(admin not in seat for seat in people.values())


def test_the_shoot_day_filter_does_not_offer_the_admin(admin, make_staff, login):
    dispatcher = make_staff(roles.DISPATCHER, display_name="Gao Min")
    body = login(dispatcher).get(reverse("shoots:day")).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", body)
    assert "Gao Min" in options and "Admin" not in options
