"""The photographer's list of couples waiting for their photos."""

import pytest
from django.urls import reverse

from studio import roles

from .test_photo_serving import REFUSED

pytestmark = pytest.mark.django_db
URL = reverse("selection:photo_orders")


def test_couples_shot_and_not_signed_are_listed_with_their_previews(
    make_shot_order, upload, make_staff, login, order
):
    shot = make_shot_order()
    upload(shot, 1)
    upload(shot, 2, process=False)
    client = login(make_staff(roles.PHOTOGRAPHER))
    body = client.get(URL).content.decode()
    assert body.count('data-testid="photo-order"') == 1  # `order` is only booked
    assert shot.number in body
    assert "Previews 1 / 2" in body
    client.cookies["django_language"] = "zh-hans"
    assert "预览图 1 / 2" in client.get(URL).content.decode()


def test_the_list_takes_the_same_queries_for_few_or_many(
    make_shot_order, make_staff, login, django_assert_max_num_queries
):
    client = login(make_staff(roles.RETOUCHER))
    make_shot_order()
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    queries = len(few.captured_queries)
    for _ in range(8):
        make_shot_order()
    with django_assert_max_num_queries(queries):
        assert client.get(URL).content.decode().count('data-testid="photo-order"') == 9


def test_another_branchs_couples_are_not_listed(make_shot_order, make_staff, other_branch, login):
    shot = make_shot_order()
    body = login(make_staff(roles.PHOTOGRAPHER, branch=other_branch)).get(URL).content.decode()
    assert shot.number not in body


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_not_open_it(make_staff, login, role):
    assert login(make_staff(role)).get(URL).status_code == 403
