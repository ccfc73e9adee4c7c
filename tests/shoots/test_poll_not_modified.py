"""A poll of the tablet or the board whose fragment has not changed gets 304 Not Modified
from one version query, without drawing the fragment (studio.polling)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from shoots import services
from shoots.models import Shoot
from studio import polling, roles

pytestmark = pytest.mark.usefixtures("mid_morning")

TABLET = reverse("shoots:tablet")
BOARD = reverse("shoots:board")


@pytest.fixture
def opened(login):
    """opened(staff, url) -> a client that has opened the page, as the browser has before
    it polls (the page sets the CSRF cookie the fragment's forms use)."""

    def do(staff, url):
        client = login(staff)
        client.get(url)
        return client

    return do


def poll(client, url, etag=None, **headers):
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(url, HTTP_HX_REQUEST="true", **headers)


@pytest.mark.parametrize("url, seat", [(TABLET, "makeup_artist"), (BOARD, "dispatcher")])
def test_an_unchanged_fragment_answers_304(in_the_building, crew, opened, url, seat):
    client = opened(getattr(crew, seat), url)
    first = poll(client, url)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert first["Cache-Control"] in ("private, no-cache", "no-cache, private")
    assert "HX-Request" in first["Vary"]
    again = poll(client, url, first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "no-cache" in again["Cache-Control"]
    assert "HX-Request" in again["Vary"]


@pytest.mark.parametrize("url, seat", [(TABLET, "makeup_artist"), (BOARD, "dispatcher")])
def test_the_304_reads_only_the_versions(
    in_the_building, crew, opened, url, seat, django_assert_max_num_queries
):
    client = opened(getattr(crew, seat), url)
    etag = poll(client, url)["ETag"]
    with django_assert_max_num_queries(99) as drawn:
        poll(client, url)
    # The request's own (the user with their staff member, roles and branches:
    # studio.backends) and one for the versions.
    with django_assert_max_num_queries(2) as checked:
        assert poll(client, url, etag).status_code == 304
    assert len(checked.captured_queries) < len(drawn.captured_queries)
    versions = [q["sql"] for q in checked.captured_queries if "xmin" in q["sql"]]
    assert len(versions) == 1


@pytest.mark.parametrize("url, seat", [(TABLET, "makeup_artist"), (BOARD, "dispatcher")])
def test_the_whole_page_has_no_etag(in_the_building, crew, opened, url, seat):
    """The page and its poll share an address: the browser must never be told the page
    is "not modified" when it holds the fragment, nor the other way round."""
    client = opened(getattr(crew, seat), url)
    etag = poll(client, url)["ETag"]
    page = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert not page.has_header("ETag")
    assert "HX-Request" in page["Vary"]


def test_a_history_restore_gets_the_whole_page(in_the_building, crew, opened):
    client = opened(crew.makeup_artist, TABLET)
    etag = poll(client, TABLET)["ETag"]
    restore = poll(client, TABLET, etag, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert restore.status_code == 200
    assert "<html" in restore.content.decode()


def test_a_colleague_on_the_same_shoot_gets_their_own_answer(
    in_the_building, crew, opened, login, make_staff
):
    """The same rows and roles, two queues: the couple is with the makeup artist, and next
    for a colleague in another seat. A shared tablet must not show one the other's queue."""
    colleague = make_staff(roles.MAKEUP_ARTIST)
    Shoot.objects.filter(pk=in_the_building.pk).update(assistant=colleague)
    etag = poll(opened(crew.makeup_artist, TABLET), TABLET)["ETag"]
    assert poll(login(colleague), TABLET, etag).status_code == 200


def test_another_language_is_another_answer(in_the_building, crew, opened):
    client = opened(crew.makeup_artist, TABLET)
    etag = poll(client, TABLET)["ETag"]
    client.cookies["django_language"] = "zh-hans"
    assert poll(client, TABLET, etag).status_code == 200


def test_a_new_role_is_another_answer(in_the_building, crew, opened):
    client = opened(crew.makeup_artist, TABLET)
    etag = poll(client, TABLET)["ETag"]
    group, _ = Group.objects.get_or_create(name=roles.DRESS_STYLIST)
    crew.makeup_artist.user.groups.add(group)
    assert poll(client, TABLET, etag).status_code == 200


def test_another_query_string_is_another_answer(in_the_building, crew, opened):
    client = opened(crew.dispatcher, BOARD)
    etag = poll(client, BOARD)["ETag"]
    assert poll(client, BOARD + "?x=1", etag).status_code == 200


def test_a_new_csrf_secret_is_another_answer(in_the_building, crew, opened):
    """The fragment's forms carry tokens of the CSRF secret it was drawn with."""
    client = opened(crew.makeup_artist, TABLET)
    first = poll(client, TABLET)
    client.cookies.pop("csrftoken", None)
    client.get(TABLET)  # the page sets a new secret
    assert poll(client, TABLET, first["ETag"]).status_code == 200


def test_a_change_at_another_branch_is_not_a_change(
    in_the_building, crew, opened, make_staff, other_branch
):
    dispatcher = make_staff(roles.DISPATCHER, branch=other_branch)
    client = opened(dispatcher, BOARD)
    etag = poll(client, BOARD)["ETag"]
    services.hand_off(
        shoot=in_the_building,
        plan_line=in_the_building.plan.get(step="dress"),
        to_staff=crew.dress_stylist,
        by=crew.dispatcher,
    )
    assert poll(client, BOARD, etag).status_code == 304


def test_a_colleagues_couple_is_not_my_change(in_the_building, crew, opened, make_staff):
    """The tablet is scoped to my seats: a hand-off on a shoot I am not on changes nothing."""
    client = opened(make_staff(roles.MAKEUP_ARTIST), TABLET)
    etag = poll(client, TABLET)["ETag"]
    services.hand_off(
        shoot=in_the_building,
        plan_line=in_the_building.plan.get(step="dress"),
        to_staff=crew.dress_stylist,
        by=crew.dispatcher,
    )
    assert poll(client, TABLET, etag).status_code == 304


def test_a_role_without_the_board_gets_403_not_304(in_the_building, crew, opened, login):
    etag = poll(opened(crew.dispatcher, BOARD), BOARD)["ETag"]
    assert poll(login(crew.makeup_artist), BOARD, etag).status_code == 403


def test_a_new_release_is_another_answer(in_the_building, crew, opened, monkeypatch):
    """A deploy that changes the code, a template or a translation draws the fragment anew."""
    client = opened(crew.makeup_artist, TABLET)
    etag = poll(client, TABLET)["ETag"]
    monkeypatch.setattr(polling, "release", lambda: "the next release")
    assert poll(client, TABLET, etag).status_code == 200


def test_the_release_digest_follows_the_templates(settings, tmp_path):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    template = tmp_path / "fragment.html"
    template.write_text("<p>{{ couple }}</p>")
    polling.release.cache_clear()
    try:
        first = polling.release()
        polling.release.cache_clear()
        assert polling.release() == first
        template.write_text("<p>{{ couple }} ({{ since }})</p>")
        polling.release.cache_clear()
        assert polling.release() != first
    finally:
        polling.release.cache_clear()
