"""The care rules page: a manager switches rules off and moves them; bad input is explained
at the field and saves nothing."""

from datetime import time

import pytest
from django.urls import reverse

from followups.models import CareRule
from studio import roles

URL = reverse("followups:care_rules")


@pytest.fixture
def rule(db):
    return CareRule.objects.get(key="deposit_thanks_letter")


def _post(client, rule, **data):
    prefix = f"rule{rule.pk}-"
    return client.post(
        reverse("followups:care_rule", args=[rule.pk]), {prefix + k: v for k, v in data.items()}
    )


def test_it_lists_every_rule_with_its_timing(login, manager, django_assert_max_num_queries):
    client = login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for key in CareRule.objects.values_list("key", flat=True):
        assert key in body
    assert 'value="10d"' in body and 'value="-1d"' in body and 'value="20m"' in body


def _own(rule, branch):
    return CareRule.objects.get(key=rule.key, branch=branch)


def test_it_switches_a_rule_off_and_moves_it_for_the_managers_branch(login, manager, rule, branch):
    response = _post(login(manager), rule, offset="2d", at_time="11:30")
    assert response.status_code == 302
    own = _own(rule, branch)
    assert not own.is_active and own.offset_minutes == 2 * 24 * 60
    assert own.at_time == time(11, 30) and own.updated_by == manager
    rule.refresh_from_db()  # the chain's row, for the other branches, is as it was
    assert rule.is_active and rule.offset_minutes == 24 * 60 and rule.branch is None


def test_it_takes_negative_offsets_and_plain_minutes(login, manager, rule, branch):
    _post(login(manager), rule, is_active="on", offset="-90", at_time="")
    own = _own(rule, branch)
    assert own.is_active and own.offset_minutes == -90 and own.at_time is None


@pytest.mark.parametrize(
    "offset, at_time, field",
    [("tomorrow", "10:00", "offset"), ("1d", "25:99", "at_time"), ("9999d", "", "offset")],
)
def test_bad_input_is_explained_at_the_field_and_saves_nothing(
    login, manager, rule, offset, at_time, field
):
    response = _post(login(manager), rule, is_active="on", offset=offset, at_time=at_time)
    assert response.status_code == 200
    form = next(r.form for r in response.context["rules"] if r.pk == rule.pk)
    assert form.errors[field]
    assert "is-invalid" in response.content.decode()
    rule.refresh_from_db()
    assert rule.offset_minutes == 24 * 60 and rule.at_time == time(10, 0)


def test_the_update_refuses_get(login, manager, rule):
    response = login(manager).get(reverse("followups:care_rule", args=[rule.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - {roles.MANAGER, roles.CHAIN_MANAGER}))
def test_only_managers_may_use_it(login, make_staff, rule, role):
    client = login(make_staff(role))
    assert client.get(URL).status_code == 403
    assert _post(client, rule, offset="1h").status_code == 403
    rule.refresh_from_db()
    assert rule.offset_minutes == 24 * 60


def test_an_unknown_rule_is_a_404(login, manager):
    response = login(manager).post(reverse("followups:care_rule", args=[999999]), {})
    assert response.status_code == 404


def test_a_manager_of_another_branch_changes_their_own_branchs_rule(
    login, make_staff, manager, branch, other_branch, rule
):
    _post(login(manager), rule, is_active="on", offset="3d")
    elsewhere = make_staff(roles.MANAGER, branch=other_branch)
    client = login(elsewhere)
    assert _post(client, rule, is_active="on", offset="2d").status_code == 302
    assert _own(rule, branch).offset_minutes == 3 * 24 * 60
    assert _own(rule, other_branch).offset_minutes == 2 * 24 * 60


def test_another_branchs_own_rule_is_not_found(login, make_staff, manager, other_branch, rule):
    _post(login(manager), rule, is_active="on", offset="3d")
    theirs = CareRule.objects.get(key=rule.key, branch__isnull=False)
    elsewhere = make_staff(roles.MANAGER, branch=other_branch)
    response = _post(login(elsewhere), theirs, is_active="", offset="1d")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.offset_minutes == 3 * 24 * 60


def test_head_office_changes_the_chains_rule(login, make_staff, rule):
    head_office = make_staff(roles.CHAIN_MANAGER)
    client = login(head_office)
    assert "every branch that has no rule of its own" in client.get(URL).content.decode()
    assert _post(client, rule, is_active="on", offset="2d").status_code == 302
    rule.refresh_from_db()
    assert rule.offset_minutes == 2 * 24 * 60 and rule.branch is None
    assert not CareRule.objects.filter(branch__isnull=False).exists()


def test_the_managers_page_shows_the_branchs_own_rule_instead_of_the_chains(
    login, manager, rule, branch
):
    client = login(manager)
    _post(client, rule, is_active="on", offset="3d")
    rules = client.get(URL).context["rules"]
    shown = [r for r in rules if r.key == rule.key]
    assert [(r.branch_id, r.offset_minutes) for r in shown] == [(branch.pk, 3 * 24 * 60)]


def test_it_renders_in_both_languages(login, manager):
    client = login(manager)
    client.cookies["django_language"] = "zh-hans"
    assert "回访规则" in client.get(URL).content.decode()
    client.cookies["django_language"] = "en"
    assert "Care rules" in client.get(URL).content.decode()
