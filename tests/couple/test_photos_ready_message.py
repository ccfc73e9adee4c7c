"""When every photo of the session has its previews, and no upload came in for a while,
the couple gets their link through the outbox, in their language, once per batch — the
first upload, and again for photos added after the couple was told — however often the
processing finishes or the job runs, and with two workers at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from couple.models import CoupleLink
from followups.models import OutboxMessage
from orders.models import Order, State
from selection import photos
from tests.races import run_together
from tests.selection.conftest import photo_folder, upload  # noqa: F401

pytestmark = pytest.mark.django_db

KEY = "couple_photos_ready"


def _later(minutes=photos.QUIET_MINUTES + 1):
    return timezone.now() + timedelta(minutes=minutes)


def _sent(order):
    return OutboxMessage.objects.filter(customer=order.customer, template_key=KEY)


@pytest.fixture
def uploaded(shot_order, upload):  # noqa: F811
    """Photos 1 and 2 uploaded; 1 has its previews, 2 not yet."""
    upload(shot_order, 1)
    upload(shot_order, 2, process=False)
    return shot_order


def _finish(order, number):
    return photos.process_photo(photo_id=order.selection.photos.get(number=number).pk)


def test_nothing_is_sent_while_a_photo_waits_for_its_previews(uploaded):
    assert photos.announce_ready_photos(now=_later()) == 0
    assert not _sent(uploaded).exists()


def test_nothing_is_sent_while_the_upload_goes_on(uploaded):
    _finish(uploaded, 2)
    assert photos.announce_ready_photos() == 0  # the last photo came in just now
    assert not _sent(uploaded).exists()


def test_the_link_is_sent_once_when_the_processing_finishes_twice(uploaded):
    assert _finish(uploaded, 2) is True
    assert _finish(uploaded, 2) is False
    assert photos.announce_ready_photos(now=_later()) == 1
    assert photos.announce_ready_photos(now=_later(30)) == 0
    message = _sent(uploaded).get()
    assert message.purpose == "service"
    link = CoupleLink.objects.get(order=uploaded)
    assert link.created_by is None and link.is_live()
    uploaded.selection.refresh_from_db()
    assert uploaded.selection.photos_ready_at is not None


@pytest.mark.parametrize(
    ("language", "words"), [("en", "your photos are ready"), ("zh-hans", "您的照片已上传")]
)
def test_the_message_is_in_the_customers_language(uploaded, language, words):
    uploaded.customer.language = language
    uploaded.customer.save()
    _finish(uploaded, 2)
    photos.announce_ready_photos(now=_later())
    message = _sent(uploaded).get()
    assert words in message.body
    assert "/c/" in message.body  # the link itself


def test_a_link_asking_for_a_code_is_followed_by_one_asking_too(uploaded, make_link):
    make_link(uploaded, needs_pin=True)
    _finish(uploaded, 2)
    photos.announce_ready_photos(now=_later())
    assert CoupleLink.objects.filter(order=uploaded).latest("pk").needs_pin


@pytest.mark.parametrize("state", [State.SELECTED, State.CANCELLED])
def test_nothing_is_sent_once_signed_or_cancelled(uploaded, state):
    _finish(uploaded, 2)
    Order.objects.filter(pk=uploaded.pk).update(state=state)
    assert photos.announce_ready_photos(now=_later()) == 0
    assert not _sent(uploaded).exists()


def _links(order):
    return CoupleLink.objects.filter(order=order).order_by("pk")


@pytest.fixture
def announced(uploaded):
    """Photos 1 and 2 ready and the couple told."""
    _finish(uploaded, 2)
    assert photos.announce_ready_photos(now=_later()) == 1
    return uploaded


def test_a_batch_added_after_the_message_is_announced_once_it_is_ready(announced, upload):  # noqa: F811
    upload(announced, 3, process=False)
    upload(announced, 4, process=False)
    assert photos.announce_ready_photos(now=_later(60)) == 0  # 3 and 4 wait for previews
    _finish(announced, 3)
    _finish(announced, 4)
    assert photos.announce_ready_photos() == 0  # the batch came in just now
    assert _sent(announced).count() == 1
    assert photos.announce_ready_photos(now=_later(60)) == 1
    assert photos.announce_ready_photos(now=_later(90)) == 0  # the same batch never twice
    assert photos.announce_photos_ready(session_id=announced.selection.pk, now=_later(90)) is False
    assert _sent(announced).count() == 2
    first, second = _links(announced)
    assert first.revoked_at is not None and second.is_live()


def test_a_photo_sent_again_is_no_new_batch(announced, upload):  # noqa: F811
    photo = announced.selection.photos.get(number=1)
    with photo.original.open("rb") as original:
        again = original.read()
    assert upload(announced, 1, data=again)[1] is False
    assert photos.announce_ready_photos(now=_later(60)) == 0
    assert _sent(announced).count() == 1


def test_a_batch_added_after_the_list_is_signed_sends_nothing(announced, upload):  # noqa: F811
    upload(announced, 3)
    Order.objects.filter(pk=announced.pk).update(state=State.SELECTED)
    assert photos.announce_ready_photos(now=_later(60)) == 0
    assert _sent(announced).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_announce_a_second_batch_once(announced, upload):  # noqa: F811
    upload(announced, 3)
    later = _later(60)
    results = run_together(*[lambda: photos.announce_ready_photos(now=later) for _ in range(3)])
    assert sorted(r[1] for r in results) == [0, 0, 1], results
    assert _sent(announced).count() == 2
    assert _links(announced).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_message(uploaded):
    _finish(uploaded, 2)
    later = _later()
    results = run_together(*[lambda: photos.announce_ready_photos(now=later) for _ in range(3)])
    assert sorted(r[1] for r in results) == [0, 0, 1], results
    assert _sent(uploaded).count() == 1
    assert CoupleLink.objects.filter(order=uploaded).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_finishing_the_last_photos_at_once_send_one_message(
    shot_order,
    upload,  # noqa: F811
):
    for n in (1, 2, 3):
        upload(shot_order, n, process=n == 1)
    later = _later()

    def finish_and_announce(number):
        photos.process_photo(photo_id=shot_order.selection.photos.get(number=number).pk)
        return photos.announce_ready_photos(now=later)

    results = run_together(lambda: finish_and_announce(2), lambda: finish_and_announce(3))
    assert [r[0] for r in results] == ["ok", "ok"], results
    photos.announce_ready_photos(now=later)
    assert _sent(shot_order).count() == 1
