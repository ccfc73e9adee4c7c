"""Every request of a signed-in user reads their staff member, roles and branches
(BranchMiddleware): in one query, not one each."""

from django.contrib.auth.models import User
from django.forms.models import model_to_dict

from studio import roles
from studio.models import Staff

from ..factories import BranchFactory, StaffFactory


def test_it_reads_the_roles_and_branches_in_one_query(
    branch, other_branch, django_assert_num_queries
):
    made = StaffFactory(roles=[roles.MANAGER, roles.RECEPTIONIST], branches=[other_branch, branch])
    user = User.objects.get(pk=made.user_id)
    with django_assert_num_queries(1):
        staff = Staff.objects.signed_in(user)
        assert staff.role_set == {roles.MANAGER, roles.RECEPTIONIST}
        assert staff.branch_ids == {branch.pk, other_branch.pk}
        assert staff.has_role(roles.MANAGER)
        assert staff.user is user
        # By code: bj1 before sh1, each as it is in the database.
        assert staff.own_branches == [other_branch, branch]
        assert model_to_dict(staff.own_branches[1]) == model_to_dict(branch)
    assert Staff.objects.get(pk=made.pk).own_branches == staff.own_branches


def test_a_staff_member_without_a_role_or_a_branch_has_none(db, django_assert_num_queries):
    user = User.objects.get(pk=StaffFactory().user_id)
    with django_assert_num_queries(1):
        staff = Staff.objects.signed_in(user)
        assert staff.role_set == frozenset()
        assert staff.branch_ids == frozenset()
        assert staff.own_branches == []


def test_an_inactive_staff_member_is_nobody(make_staff):
    staff = make_staff(roles.RECEPTIONIST)
    Staff.objects.filter(pk=staff.pk).update(is_active=False)
    assert Staff.objects.signed_in(staff.user) is None


def test_a_superuser_works_at_every_branch(branch, other_branch):
    made = StaffFactory(branches=[branch])
    User.objects.filter(pk=made.user_id).update(is_superuser=True)
    third = BranchFactory(code="gz1")
    staff = Staff.objects.signed_in(User.objects.get(pk=made.user_id))
    assert staff.branch_ids == {branch.pk, other_branch.pk, third.pk}
