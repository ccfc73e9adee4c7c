"""After the shoot, its pages lead who may upload the photos (the photographer on their
tablet, the manager on the shoot's page) to the session's upload, with how many photos are
uploaded and how many have their previews; nobody else sees the link."""

from datetime import timedelta

import pytest
from django.urls import reverse

from orders.models import Order, State
from selection.photos import PHOTO_ROLES
from shoots.models import Shoot
from studio import roles
from tests.selection.conftest import consultant, photo_folder, upload  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def shot_today(shoot_today, upload):  # noqa: F811
    """Today's shoot finished (the day itself is tested in test_shooting_day), three photos
    uploaded, two with their previews."""
    Shoot.objects.filter(pk=shoot_today.pk).update(status=Shoot.Status.FINISHED)
    Order.objects.filter(pk=shoot_today.order_id).update(state=State.SHOT)
    order = Order.objects.get(pk=shoot_today.order_id)
    upload(order, 1)
    upload(order, 2)
    upload(order, 3, process=False)
    shoot_today.refresh_from_db()
    return shoot_today


def _upload_url(shoot):
    return reverse("selection:photos", args=[shoot.order.number])


def test_the_photographers_tablet_leads_to_the_upload_with_the_counts(shot_today, crew, login):
    text = login(crew.photographer).get(reverse("shoots:tablet")).content.decode()
    assert _upload_url(shot_today) in text
    assert "3 uploaded · 2 with previews" in text


def test_the_tablet_of_someone_who_may_not_upload_has_no_link(shot_today, crew, login):
    for staff in (crew.makeup_artist, crew.dress_stylist, crew.assistant, crew.dispatcher):
        text = login(staff).get(reverse("shoots:tablet")).content.decode()
        assert _upload_url(shot_today) not in text


def test_the_tablet_asks_the_same_queries_for_more_shoots(
    shot_today, crew, login, book, make_order, in_ten_days, django_assert_max_num_queries
):
    client = login(crew.photographer)
    client.get(reverse("shoots:tablet"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("shoots:tablet"))
    for days in (1, 2):
        other = book(make_order(), starts_at=in_ten_days + timedelta(days=days))
        Shoot.objects.filter(pk=other.pk).update(
            status=Shoot.Status.FINISHED, starts_at=shot_today.starts_at
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        text = client.get(reverse("shoots:tablet")).content.decode()
    assert text.count('data-testid="shot-card"') == 3


def test_the_managers_shoot_page_leads_to_the_upload(shot_today, manager, login):
    text = login(manager).get(reverse("shoots:detail", args=[shot_today.pk])).content.decode()
    assert _upload_url(shot_today) in text
    assert "3 uploaded · 2 with previews" in text


def test_the_dispatchers_shoot_page_has_no_link(shot_today, crew, login):
    text = login(crew.dispatcher).get(reverse("shoots:detail", args=[shot_today.pk]))
    assert _upload_url(shot_today) not in text.content.decode()


def test_every_role_that_sees_the_link_may_upload(shot_today, make_staff, login):
    """The link is shown by the same roles the upload page lets in."""
    for role in sorted(set(roles.ALL) - {roles.CHAIN_MANAGER}):
        response = login(make_staff(role)).get(_upload_url(shot_today))
        assert (response.status_code == 200) == (role in PHOTO_ROLES), role
