"""The payment plan page, the plan on the order page, and the overdue list."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders import services
from orders.models import Instalment, PlanRevision
from studio import roles
from tests.factories import CustomerFactory, StaffFactory

SETS_PLANS = {roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER}


def days(n):
    return timezone.localdate() + timedelta(days=n)


def form(*rows, reason=""):
    data = {
        "form-TOTAL_FORMS": "4",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "24",
        "reason": reason,
    }
    for n, (day, amount) in enumerate(rows):
        data[f"form-{n}-due_on"] = day.isoformat()
        data[f"form-{n}-amount"] = amount
    return data


def url(order):
    return reverse("orders:plan", args=[order.number])


def test_it_sets_a_plan_from_the_page(login, receptionist, order):
    response = login(receptionist).post(url(order), form((days(7), "3000"), (days(37), "3800")))
    assert response.status_code == 302
    assert Instalment.objects.filter(order=order, is_current=True).count() == 2
    page = login(receptionist).get(order.get_absolute_url())
    assert 'data-testid="plan"' in page.text and "¥3,800.00" in page.text


def test_the_plan_page_shows_in_chinese(login, receptionist, order):
    services.set_payment_plan(order=order, instalments=[(days(7), "6800")], by=receptionist)
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(url(order))
    assert response.status_code == 200
    assert "分期" in response.text
    overdue = client.get(reverse("orders:overdue"))
    assert "逾期" in overdue.text


def test_a_wrong_sum_is_refused_with_the_reason_and_nothing_saved(login, receptionist, order):
    response = login(receptionist).post(url(order), form((days(7), "3000")))
    assert response.status_code == 400
    assert "must sum to exactly the balance" in response.text
    assert not PlanRevision.objects.exists()


def test_a_bad_date_is_refused(login, receptionist, order):
    data = form((days(7), "6800"))
    data["form-0-due_on"] = "2026-02-30"
    response = login(receptionist).post(url(order), data)
    assert response.status_code == 400
    assert not PlanRevision.objects.exists()


def test_a_double_submit_saves_one_revision(login, receptionist, order):
    client = login(receptionist)
    client.post(url(order), form((days(7), "6800")))
    again = client.post(url(order), form((days(7), "6800"), reason="again"), follow=True)
    assert "Already done" in again.text
    assert PlanRevision.objects.count() == 1


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - SETS_PLANS))
def test_other_roles_may_not_set_plans(login, make_staff, order, role):
    client = login(make_staff(role))
    assert client.get(url(order)).status_code == 403
    assert client.post(url(order), form((days(7), "6800"))).status_code == 403
    assert not PlanRevision.objects.exists()


def test_another_branch_may_not_open_the_plan(login, other_branch, order):
    stranger = StaffFactory(roles=[roles.MANAGER], branches=[other_branch])
    assert login(stranger).get(url(order)).status_code == 404
    assert login(stranger).post(url(order), form((days(7), "6800"))).status_code == 404


def test_the_plan_page_takes_get_and_post_only(login, receptionist, order):
    assert login(receptionist).put(url(order)).status_code == 405


# --- The overdue list ---


def overdue(order, receptionist, days_ago, amount="6800"):
    services.set_payment_plan(order=order, instalments=[(days(0), amount)], by=receptionist)
    Instalment.objects.filter(order=order).update(due_on=days(-days_ago))


def test_the_overdue_list_sorts_by_days_overdue(login, receptionist, make_order, branch):
    late = make_order(customer=CustomerFactory(branch=branch, owner=receptionist))
    later = make_order(customer=CustomerFactory(branch=branch, owner=receptionist))
    on_time = make_order(customer=CustomerFactory(branch=branch, owner=receptionist))
    overdue(late, receptionist, 3)
    overdue(later, receptionist, 12)
    services.set_payment_plan(order=on_time, instalments=[(days(5), "6800")], by=receptionist)
    client = login(receptionist)
    text = client.get(reverse("orders:overdue")).text
    assert on_time.number not in text
    assert text.index(later.number) < text.index(late.number)
    assert late.get_absolute_url() in text
    ascending = client.get(reverse("orders:overdue") + "?sort=-days").text
    assert ascending.index(late.number) < ascending.index(later.number)


def test_a_paid_instalment_leaves_the_list(login, receptionist, order):
    overdue(order, receptionist, 3)
    services.take_payment(
        order=order, kind="balance", method="cash", amount="6800", staff=receptionist
    )
    assert order.number not in login(receptionist).get(reverse("orders:overdue")).text


def test_the_overdue_list_keeps_a_fixed_number_of_queries(
    login, receptionist, make_order, branch, django_assert_max_num_queries
):
    for n in range(12):
        o = make_order(customer=CustomerFactory(branch=branch, owner=receptionist))
        overdue(o, receptionist, n + 1, amount="6800")
    client = login(receptionist)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orders:overdue"))
    assert response.text.count('data-testid="days"') == 12


def test_another_branch_sees_none_of_our_overdue_orders(login, other_branch, receptionist, order):
    overdue(order, receptionist, 3)
    stranger = StaffFactory(roles=[roles.RECEPTIONIST], branches=[other_branch])
    assert order.number not in login(stranger).get(reverse("orders:overdue")).text


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - roles.FRONT_DESK))
def test_other_roles_may_not_see_the_overdue_list(login, make_staff, role):
    assert login(make_staff(role)).get(reverse("orders:overdue")).status_code == 403


def test_the_overdue_amount_is_what_is_unpaid_and_past_due(login, receptionist, order):
    services.set_payment_plan(
        order=order, instalments=[(days(0), "3000"), (days(30), "3800")], by=receptionist
    )
    Instalment.objects.filter(order=order, due_on=days(0)).update(due_on=days(-5))
    services.take_payment(
        order=order, kind="balance", method="cash", amount="1000", staff=receptionist
    )
    text = login(receptionist).get(reverse("orders:overdue")).text
    assert "¥2,000.00" in text and Decimal("2000") > 0
