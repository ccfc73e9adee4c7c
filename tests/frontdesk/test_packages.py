"""The package catalogue: signature first, two side by side."""

from decimal import Decimal

from django.urls import reverse

from tests.factories import PackageFactory

URL = reverse("studio:packages")


def test_the_signature_package_comes_first(login, receptionist, branch, package):
    signature = PackageFactory(
        branches=[branch], is_signature=True, price=Decimal("19999"), floor_price=Decimal("1")
    )
    response = login(receptionist).get(URL)
    assert list(response.context["packages"])[0] == signature


def test_two_packages_side_by_side(login, receptionist, branch, package):
    other = PackageFactory(branches=[branch], name="Forest Dream", outfits=5)
    response = login(receptionist).get(URL, {"compare": [package.pk, other.pk]})
    assert response.context["compared"] == [package, other]
    assert b'data-testid="comparison"' in response.content


def test_a_package_of_another_branch_cannot_be_compared(login, receptionist, package, other_branch):
    elsewhere = PackageFactory(branches=[other_branch])
    response = login(receptionist).get(URL, {"compare": [package.pk, elsewhere.pk]})
    assert response.context["compared"] == [package]
    assert b'data-testid="comparison"' not in response.content


def test_field_roles_have_no_catalogue(login, photographer):
    assert login(photographer).get(URL).status_code == 403


def test_it_rejects_post(login, receptionist):
    assert login(receptionist).post(URL).status_code == 405
