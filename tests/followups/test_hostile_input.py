"""Hostile input on the aftercare forms: never a 500, nothing saved when refused."""

import pytest
from django.urls import reverse
from hypothesis import given

from followups.models import CareRule, Complaint
from tests.hostile import assert_answered, hostile_posts, hostile_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(db):
    return CareRule.objects.get(key="deposit_thanks_letter")


def _rule_row(rule):
    return CareRule.objects.filter(pk=rule.pk).values("is_active", "offset_minutes", "at_time")


@hostile_settings
@given(post=hostile_posts(["is_active", "offset", "at_time"]))
def test_the_care_rule_form_never_fails_on_hostile_input(login, manager, rule, post):
    before = list(_rule_row(rule))
    prefixed = {f"rule{rule.pk}-{k}": v for k, v in post.items()}
    response = login(manager).post(reverse("followups:care_rule", args=[rule.pk]), prefixed)
    assert_answered(response)
    if response.status_code != 302:
        assert list(_rule_row(rule)) == before


def test_an_offset_of_centuries_is_refused(login, manager, rule):
    before = list(_rule_row(rule))
    post = {f"rule{rule.pk}-offset": "99999999999999999999d", f"rule{rule.pk}-is_active": "on"}
    response = login(manager).post(reverse("followups:care_rule", args=[rule.pk]), post)
    assert response.status_code == 200
    form = next(r.form for r in response.context["rules"] if r.pk == rule.pk)
    assert form.errors["offset"]
    assert list(_rule_row(rule)) == before


@hostile_settings
@given(post=hostile_posts(["text", "order", "owner"]))
def test_the_complaint_form_never_fails_on_hostile_input(login, receptionist, customer, post):
    before = Complaint.objects.count()
    url = reverse("followups:log_complaint", args=[customer.pk])
    response = login(receptionist).post(url, post)
    assert_answered(response)
    if response.status_code != 302:
        assert Complaint.objects.count() == before
