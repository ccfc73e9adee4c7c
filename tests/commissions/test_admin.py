"""The commission admin: a store manager keeps their branch's rules there and reads its
credits; another branch's are not found; a clerk is refused; credits are never written."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from commissions.models import Basis, CommissionRule, Credit, StatementMonth
from studio import roles

pytestmark = pytest.mark.django_db


def _url(model, view, *args):
    return reverse(f"admin:commissions_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_manager(manager):
    """A store manager with what the policy gives the role (studio.permissions, applied
    after every migrate)."""
    manager.user.is_staff = True
    manager.user.save(update_fields=["is_staff"])
    return manager


@pytest.fixture
def theirs(make_rule, other_branch):
    return make_rule(Basis.SIGNING, branch=other_branch, percent="2")


def test_the_manager_lists_and_changes_their_branchs_rules(
    login, admin_manager, signing_rule, theirs
):
    client = login(admin_manager)
    listing = client.get(_url(CommissionRule, "changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [signing_rule]
    response = client.post(_url(CommissionRule, "change", signing_rule.pk), {
        "branch": signing_rule.branch_id, "basis": "signing", "percent": "4",
        "valid_from": "2020-01-01", "note": "",
    })  # fmt: skip
    assert response.status_code == 302
    signing_rule.refresh_from_db()
    assert signing_rule.percent == Decimal("4.00")


def test_another_branchs_rule_is_not_found(login, admin_manager, theirs):
    client = login(admin_manager)
    response = client.get(_url(CommissionRule, "change", theirs.pk))
    assert response.status_code in (302, 404)
    client.post(_url(CommissionRule, "change", theirs.pk), {
        "branch": theirs.branch_id, "basis": "signing", "percent": "50", "valid_from": "2020-01-01",
    })  # fmt: skip
    theirs.refresh_from_db()
    assert theirs.percent == Decimal("2.00")


def test_a_rule_saved_into_another_branch_is_a_form_error(login, admin_manager, other_branch):
    response = login(admin_manager).post(_url(CommissionRule, "add"), {
        "branch": other_branch.pk, "basis": "signing", "percent": "4", "valid_from": "2020-01-01",
    })  # fmt: skip
    assert response.status_code == 200
    assert not CommissionRule.objects.exists()


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - {roles.MANAGER, roles.CHAIN_MANAGER}))
def test_other_roles_are_refused_even_with_every_permission(login, make_staff, signing_rule, role):
    clerk = make_staff(role)
    clerk.user.is_staff = True
    clerk.user.save(update_fields=["is_staff"])
    clerk.user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="commissions")
    )
    client = login(clerk)
    for view, args in (("changelist", ()), ("change", (signing_rule.pk,)), ("add", ())):
        response = client.get(_url(CommissionRule, view, *args))
        assert response.status_code in (302, 403, 404), (role, view)


def test_credits_and_months_are_read_only(login, admin_manager, signing_rule, order):
    client = login(admin_manager)
    credit = Credit.objects.get()
    assert client.get(_url(Credit, "changelist")).status_code == 200
    assert client.get(_url(Credit, "add")).status_code == 403
    client.post(_url(Credit, "change", credit.pk), {"amount": "9999"})
    assert Credit.objects.get().amount == credit.amount
    assert client.get(_url(StatementMonth, "add")).status_code == 403
