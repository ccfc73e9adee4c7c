"""Head office writes what a package includes, line by line, on the package's admin page;
a store manager reads it and changes nothing (studio.permissions: "studio.packageline")."""

import pytest
from django.urls import reverse

from studio import roles
from studio.models import PackageLine

from .test_admin_permissions import admin_user


def _form(package, branch, **line):
    data = {
        "name": package.name, "code": package.code, "branches": [branch.pk],
        "price": package.price, "floor_price": package.floor_price, "outfits": 3,
        "indoor_scenes": 1, "outdoor_scenes": 0, "retouched_photos": 30, "album_pages": 20,
        "contents_note": "", "is_active": "on", "description": "",
        "lines-TOTAL_FORMS": 1, "lines-INITIAL_FORMS": 0, "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    data |= {f"lines-0-{key}": value for key, value in line.items()}
    data["lines-0-package"] = package.pk
    return data


@pytest.fixture
def head_office(make_staff):
    return admin_user(make_staff(roles.CHAIN_MANAGER))


def test_head_office_adds_a_line_to_a_package(client, head_office, package, branch):
    client.force_login(head_office)
    url = reverse("admin:studio_package_change", args=[package.pk])
    assert client.get(url).status_code == 200
    line = {"position": 1, "kind": "enlargement", "size": '24"', "quantity": 2, "name": ""}
    response = client.post(url, _form(package, branch, **line))
    assert response.status_code == 302, response.context["errors"]
    assert list(package.lines.values_list("kind", "size", "quantity")) == [
        ("enlargement", '24"', 2)
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"kind": "other", "quantity": 1, "name": ""}, "Say what this line includes."),
        ({"kind": "enlargement", "quantity": 0}, "greater than or equal to 1"),
        ({"kind": "spa_day", "quantity": 1}, "Select a valid choice"),
    ],
)
def test_a_wrong_line_says_why_and_saves_nothing(
    client, head_office, package, branch, line, message
):
    client.force_login(head_office)
    url = reverse("admin:studio_package_change", args=[package.pk])
    response = client.post(url, _form(package, branch, position=0, size="", **line))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PackageLine.objects.exists()


def test_a_store_manager_reads_the_lines_and_changes_nothing(client, make_staff, package, branch):
    PackageLine.objects.create(package=package, kind="frame", quantity=1)
    client.force_login(admin_user(make_staff(roles.MANAGER)))
    url = reverse("admin:studio_package_change", args=[package.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Frame" in page.content.decode()
    line = {"position": 1, "kind": "usb", "size": "", "quantity": 1, "name": ""}
    response = client.post(url, _form(package, branch, **line))
    assert response.status_code == 403
    assert list(package.lines.values_list("kind", flat=True)) == ["frame"]
