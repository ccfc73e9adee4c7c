"""Two store managers of one branch change the same chain care rule at the same moment:
the branch gets one row of its own, never two, and neither manager sees an error (the
chain's row is locked while the copy is made; the unique constraint
`one_branch_care_rule_per_key` is the net under it)."""

from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from followups.models import CareRule
from followups.services import retime_care_rule
from studio import roles
from tests.factories import BranchFactory, StaffFactory
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "race_copy_thanks"
ROUNDS = 3  # each round a fresh rule: one unlucky schedule must not pass by chance


@pytest.fixture
def setting():
    """A branch, its two store managers and a chain rule the branch has no row of yet.
    (A transactional test starts without the seeded rules: it makes its own.)"""
    branch = BranchFactory(code="race", name="Race branch")
    managers = [StaffFactory(roles=[roles.MANAGER], branches=[branch]) for _ in range(2)]
    return branch, managers


def _chain_rule(round_):
    return CareRule.objects.create(
        key=f"{KEY}_{round_}",
        trigger=CareRule.Trigger.DEPOSIT_PAID,
        action=CareRule.Action.MESSAGE,
        template_key="deposit_thanks",
        offset_minutes=20,
    )


def test_two_managers_copying_one_rule_at_once_make_one_row(setting):
    branch, (first, second) = setting
    for round_ in range(ROUNDS):
        chain = _chain_rule(round_)
        retime = partial(retime_care_rule, rule=chain, at_time=None, branch=branch)
        results = run_together(
            partial(retime, is_active=False, offset_minutes=30, by=first),
            partial(retime, is_active=True, offset_minutes=45, by=second),
        )
        assert [kind for kind, _value in results] == ["ok", "ok"], results
        [own] = CareRule.objects.filter(key=chain.key, branch=branch)
        # Both got the same row: the second changed the row the first made.
        assert {value.pk for _kind, value in results} == {own.pk}
        # The row holds the whole of one manager's change, the later one's.
        assert (own.is_active, own.offset_minutes, own.updated_by) in {
            (False, 30, first),
            (True, 45, second),
        }
        chain.refresh_from_db()
        assert (chain.is_active, chain.offset_minutes, chain.updated_by) == (True, 20, None)


def _save(client, rule, offset):
    """The rule's form on the care rules page, sent: the answer's status code."""
    data = {f"rule{rule.pk}-is_active": "on", f"rule{rule.pk}-offset": offset}
    return client.post(reverse("followups:care_rule", args=[rule.pk]), data).status_code


def test_two_managers_saving_on_the_page_at_once_get_no_error_page(setting):
    branch, managers = setting
    for round_ in range(ROUNDS):
        chain = _chain_rule(round_)
        clients = []
        for manager in managers:
            client = Client()
            client.force_login(manager.user)
            clients.append(client)
        results = run_together(
            partial(_save, clients[0], chain, "30m"), partial(_save, clients[1], chain, "45m")
        )
        assert results == [("ok", 302), ("ok", 302)]
        [own] = CareRule.objects.filter(key=chain.key, branch=branch)
        assert own.offset_minutes in (30, 45)
