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


# --- With the user: studio.backends.StaffBackend ---


def _same(a, b):
    return (
        a.pk == b.pk
        and a.role_set == b.role_set
        and a.branch_ids == b.branch_ids
        and [model_to_dict(x) for x in a.own_branches] == [model_to_dict(x) for x in b.own_branches]
        and model_to_dict(a) == model_to_dict(b)
    )


def test_the_user_and_their_staff_member_are_read_in_one_query(
    branch, other_branch, django_assert_num_queries
):
    made = StaffFactory(roles=[roles.MANAGER, roles.RECEPTIONIST], branches=[other_branch, branch])
    with django_assert_num_queries(1):
        user = Staff.objects.user_signed_in(made.user_id)
        staff = user.signed_in_staff
        assert staff.user is user
    assert model_to_dict(user) == model_to_dict(User.objects.get(pk=made.user_id))
    assert _same(staff, Staff.objects.signed_in(user))


def test_with_the_user_a_staff_member_without_roles_or_branches_has_none(db):
    made = StaffFactory()
    staff = Staff.objects.user_signed_in(made.user_id).signed_in_staff
    assert (staff.role_set, staff.branch_ids, staff.own_branches) == (frozenset(), frozenset(), [])


def test_with_the_user_an_inactive_staff_member_or_none_is_nobody(make_staff, db):
    staff = make_staff(roles.RECEPTIONIST)
    Staff.objects.filter(pk=staff.pk).update(is_active=False)
    assert Staff.objects.user_signed_in(staff.user_id).signed_in_staff is None
    alone = User.objects.create_user("no-staff", password="x")
    assert Staff.objects.user_signed_in(alone.pk).signed_in_staff is None
    assert Staff.objects.user_signed_in(alone.pk + 1000) is None


def test_with_the_user_a_superuser_works_at_every_branch(branch, other_branch):
    made = StaffFactory(branches=[branch])
    User.objects.filter(pk=made.user_id).update(is_superuser=True)
    staff = Staff.objects.user_signed_in(made.user_id).signed_in_staff
    assert staff.branch_ids == {branch.pk, other_branch.pk}
