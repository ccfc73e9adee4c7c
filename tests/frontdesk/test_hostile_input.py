"""Hostile input on the front desk's forms: never a 500, nothing saved when refused."""

import pytest
from django.urls import reverse
from hypothesis import given

from studio.models import Customer, CustomerChange, Leave, Visit
from tests.hostile import assert_answered, hostile_posts, hostile_settings

pytestmark = pytest.mark.django_db

VISIT_FIELDS = [
    "customer",
    "bride_name",
    "bride_phone",
    "groom_name",
    "groom_phone",
    "kind",
    "source",
    "referrer_phone",
    "reason",
    "language",
]
CUSTOMER_FIELDS = [
    "bride_name",
    "bride_phone",
    "bride_birthday",
    "groom_name",
    "groom_phone",
    "groom_birthday",
    "wechat",
    "address",
    "wedding_date",
    "notes",
    "language",
]


def _counts():
    return (Customer.objects.count(), Visit.objects.count(), CustomerChange.objects.count())


def _row(customer):
    return Customer.objects.filter(pk=customer.pk).values(*CUSTOMER_FIELDS).get()


@hostile_settings
@given(post=hostile_posts(VISIT_FIELDS, fixed={"kind": "walk_in", "source": "walk_by"}))
def test_the_visit_form_never_fails_on_hostile_input(login, receptionist, rota, post):
    client = login(receptionist)
    before = _counts()
    response = client.post(reverse("studio:visit_new"), post)
    assert_answered(response)
    if response.status_code != 302:
        assert _counts() == before


@hostile_settings
@given(post=hostile_posts(CUSTOMER_FIELDS, fixed={"language": "zh-hans"}))
def test_the_customer_edit_form_never_fails_on_hostile_input(login, receptionist, customer, post):
    client = login(receptionist)
    before, counts = _row(customer), _counts()
    response = client.post(reverse("studio:customer_edit", args=[customer.pk]), post)
    assert_answered(response)
    if response.status_code != 302:
        assert _row(customer) == before and _counts() == counts
    else:
        saved = Customer.objects.get(pk=customer.pk)
        saved.full_clean(exclude=["owner", "referrer"])  # what was stored is valid


@hostile_settings
@given(post=hostile_posts(["starts_on", "ends_on", "agent", "message"]))
def test_the_leave_form_never_fails_on_hostile_input(login, receptionist, takers, post):
    client = login(receptionist)
    before = Leave.objects.count()
    response = client.post(reverse("studio:leave"), post)
    assert_answered(response)
    if response.status_code != 302:
        assert Leave.objects.count() == before


@hostile_settings
@given(post=hostile_posts(["branch", "period", "month", "day", "format"]))
def test_the_reports_page_never_fails_on_hostile_queries(login, manager, post):
    assert_answered(login(manager).get(reverse("overview:reports"), post))
