"""One access rule for every page: login, declared roles, the user's branches."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from studio import roles
from studio.access import declared_roles
from tests.factories import StaffFactory

PROJECT_APPS = tuple(settings.PROJECT_APPS)


def project_views():
    """(url name, view, path) of every project page that takes no URL arguments."""
    found = []

    def walk(resolver, namespace=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p, ns)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groupindex:
                module = getattr(p.callback, "__module__", "")
                if module.split(".")[0] in PROJECT_APPS and declared_roles(p.callback):
                    found.append((namespace + p.name, p.callback))

    walk(get_resolver())
    return found


VIEWS = project_views()


def test_every_page_is_in_the_table():
    assert len(VIEWS) >= 3
    assert "home" in [name for name, _ in VIEWS]


@pytest.mark.parametrize(("name", "view"), VIEWS, ids=[n for n, _ in VIEWS])
def test_every_page_needs_a_login(client, name, view):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# Pages every role may use (home, my leave, …) have no role to refuse.
RESTRICTED = [(n, v) for n, v in VIEWS if set(roles.ALL) - set(declared_roles(v))]


@pytest.mark.parametrize(("name", "view"), RESTRICTED, ids=[n for n, _ in RESTRICTED])
def test_every_page_refuses_roles_it_does_not_declare(client, branch, name, view):
    refused = [r for r in roles.ALL if r not in set(declared_roles(view))]
    let_in = []
    for role in refused:
        staff = StaffFactory(roles=[role], branches=[branch])
        client.force_login(staff.user)
        # The role is checked before the method, so POST reaches the check on every page.
        if client.post(reverse(name)).status_code != 403:
            let_in.append(role)
    assert let_in == []


def test_an_account_without_a_staff_profile_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x-pw-123456")
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 403


def test_every_role_reaches_home(client, branch):
    for role in roles.ALL:
        staff = StaffFactory(roles=[role], branches=[branch])
        client.force_login(staff.user)
        assert client.get(reverse("home")).status_code == 200, role


def test_a_manager_of_two_branches_can_switch(client, branch, other_branch):
    staff = StaffFactory(roles=[roles.MANAGER], branches=[branch, other_branch])
    client.force_login(staff.user)
    response = client.post(reverse("studio:switch_branch"), {"branch": other_branch.pk})
    assert response.status_code == 302
    assert client.session["branch_id"] == other_branch.pk
    assert other_branch.name in client.get(reverse("home")).text


def test_nobody_switches_to_a_branch_they_do_not_work_at(client, branch, other_branch):
    staff = StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch])
    client.force_login(staff.user)
    response = client.post(reverse("studio:switch_branch"), {"branch": other_branch.pk})
    assert response.status_code == 403
    assert "branch_id" not in client.session


def test_switching_branch_rejects_get(client, branch):
    staff = StaffFactory(roles=[roles.MANAGER], branches=[branch])
    client.force_login(staff.user)
    assert client.get(reverse("studio:switch_branch")).status_code == 405


def test_field_staff_never_see_money_or_phones(make_staff):
    for role in roles.FIELD:
        staff = make_staff(role)
        assert not staff.sees_money
        assert not staff.sees_contacts


def test_the_system_check_finds_views_without_roles(settings):
    from studio.checks import every_view_declares_roles

    assert every_view_declares_roles(None) == []
