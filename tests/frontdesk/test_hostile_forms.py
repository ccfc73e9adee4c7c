"""Hostile input on the front desk's other forms: the rota, the consultation, "My calls"
(how a call went), the discount decision, the branch switch and unlocking a login:
never a 500, nothing saved when refused."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from followups.models import CallTask
from followups.services import create_call_task
from orders.models import Order
from studio import roles, services
from studio.models import DiscountApproval, Rota, Visit
from tests.factories import StaffFactory
from tests.hostile import hostile_posts, hostile_settings, hostile_value, post_hostile

pytestmark = pytest.mark.django_db


@hostile_settings
@given(post=st.data())
def test_the_rota_form_never_fails_on_hostile_input(login, manager, takers, post):
    fields = [f"turn_{s.pk}" for s in takers] + ["turn_0", "turn_x"]
    data = post.draw(hostile_posts(fields))

    def state():
        return list(Rota.objects.values_list("pk", "day")), list(
            Rota.objects.values_list("slots__staff", "slots__position")
        )

    post_hostile(login(manager), reverse("studio:rota"), data, state)


@hostile_settings
@given(
    post=hostile_posts(
        ["outcome", "not_booked_because", "not_booked_reason", "compared_studios", "budget"]
        + ["package", "note"],
        fixed={"outcome": "not_booked"},
    )
)
def test_the_consultation_form_never_fails_on_hostile_input(
    login, receptionist, customer, customer_service, post
):
    visit = services.register_visit(
        branch=customer.branch, registered_by=receptionist, customer=customer
    )

    def state():
        return list(Visit.objects.values()), CallTask.objects.count()

    post_hostile(login(receptionist), reverse("studio:visit", args=[visit.pk]), post, state)


@hostile_settings
@given(post=hostile_posts(["status", "outcome", "next"], fixed={"status": "done"}))
def test_the_call_outcome_form_never_fails_on_hostile_input(
    login, customer, customer_service, post
):
    task = create_call_task(
        customer=customer,
        kind=CallTask.Kind.VISIT_FOLLOWUP,
        due_at=timezone.now() + timedelta(hours=1),
        occasion="hostile:1",
        assignee=customer_service,
        script="Ask about the budget",
    )
    url = reverse("followups:close_task", args=[task.pk])

    def state():
        return list(CallTask.objects.values())

    post_hostile(login(customer_service), url, post, state)


@hostile_settings
@given(post=st.dictionaries(st.sampled_from(["decision", "next", "note"]), hostile_value))
def test_the_discount_decision_never_fails_on_hostile_input(
    login, receptionist, manager, customer, package, post
):
    login(receptionist).post(
        reverse("orders:ask_approval", args=[customer.pk]),
        {
            "package": package.pk,
            "discount": "900",
            "deposit": "2000",
            "deposit_method": "cash",
            "request_key": "approval-key",
        },
    )
    approval = DiscountApproval.objects.get()

    def state():
        return list(DiscountApproval.objects.values()), Order.objects.count()

    url = reverse("studio:decide_discount", args=[approval.pk])
    post_hostile(login(manager), url, post, state)


@hostile_settings
@given(post=hostile_posts(["branch"]))
def test_the_branch_switch_never_fails_on_hostile_input(login, receptionist, post):
    post_hostile(login(receptionist), reverse("studio:switch_branch"), post, lambda: None)


@pytest.fixture
def head_office(branch):
    return StaffFactory(roles=[roles.CHAIN_MANAGER], branches=[branch], display_name="Head")


@hostile_settings
@given(
    post=hostile_posts(["username", "ip_address"]),
    real=st.sampled_from([None, "username", "ip_address", "both"]),
)
def test_unlocking_a_login_never_fails_on_hostile_input(client, head_office, post, real):
    AccessAttempt.objects.get_or_create(
        username="li.na",
        ip_address="10.0.0.9",
        user_agent="test",
        defaults={"failures_since_start": 9, "attempt_time": timezone.now()},
    )
    if real in ("username", "both"):
        post["username"] = "li.na"
    if real in ("ip_address", "both"):
        post["ip_address"] = "10.0.0.9"
    client.force_login(head_office.user)

    def state():
        return AccessAttempt.objects.count()

    post_hostile(client, reverse("studio:lockouts"), post, state)
