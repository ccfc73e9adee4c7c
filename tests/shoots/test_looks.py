"""Outfit looks: set per outfit set on the shoot page or the dress stylist's tablet, shown
on the tablet card as a plain list."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shoots import services
from shoots.models import PlannedSet
from studio import roles


def _outfit(shoot, n=0):
    return [line for line in shoot.plan.order_by("position") if line.is_outfit][n]


def test_set_look_saves_the_look(shoot_today, crew):
    line = _outfit(shoot_today)
    services.set_look(line=line, look="  森系 Forest ", by=crew.dispatcher)
    line.refresh_from_db()
    assert line.look == "森系 Forest"


def test_only_an_outfit_set_has_a_look(shoot_today, crew):
    makeup = shoot_today.plan.get(step="makeup")
    with pytest.raises(ValidationError):
        services.set_look(line=makeup, look="Forest", by=crew.dispatcher)
    makeup.refresh_from_db()
    assert makeup.look == ""


def test_a_finished_shoot_keeps_its_looks(shoot_today, crew):
    services.check_in(shoot=shoot_today, by=crew.dispatcher)
    services.finish_shoot(shoot=shoot_today, by=crew.dispatcher, key_returned=True)
    with pytest.raises(ValidationError):
        services.set_look(line=_outfit(shoot_today), look="Forest", by=crew.dispatcher)


def test_the_dispatcher_sets_a_look_on_the_shoot_page(shoot_today, crew, login):
    client = login(crew.dispatcher)
    page = client.get(reverse("shoots:detail", args=[shoot_today.pk])).content.decode()
    assert 'data-testid="look-form"' in page
    line = _outfit(shoot_today)
    response = client.post(
        reverse("shoots:look", args=[shoot_today.pk]), {"line": line.pk, "look": "森系 Forest"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.look == "森系 Forest"


def test_a_too_long_look_is_explained_and_not_saved(shoot_today, crew, login):
    line = _outfit(shoot_today)
    response = login(crew.dispatcher).post(
        reverse("shoots:look", args=[shoot_today.pk]),
        {"line": line.pk, "look": "x" * 101},
        follow=True,
    )
    assert "at most 100 characters" in response.content.decode()
    line.refresh_from_db()
    assert line.look == ""


def test_the_look_of_a_makeup_line_is_refused(shoot_today, crew, login):
    makeup = shoot_today.plan.get(step="makeup")
    response = login(crew.dispatcher).post(
        reverse("shoots:look", args=[shoot_today.pk]),
        {"line": makeup.pk, "look": "Forest"},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    assert not PlannedSet.objects.exclude(look="").exists()


def test_set_look_refuses_get(shoot_today, crew, login):
    response = login(crew.dispatcher).get(reverse("shoots:look", args=[shoot_today.pk]))
    assert response.status_code == 405


def test_the_shoots_dress_stylist_sets_a_look_from_the_tablet(shoot_today, crew, login):
    client = login(crew.dress_stylist)
    assert "Set the looks" in client.get(reverse("shoots:tablet")).content.decode()
    line = _outfit(shoot_today)
    response = client.post(
        reverse("shoots:look", args=[shoot_today.pk]),
        {"line": line.pk, "look": "Forest", "next": reverse("shoots:tablet")},
    )
    assert response.url == reverse("shoots:tablet")
    line.refresh_from_db()
    assert line.look == "Forest"


def test_another_dress_stylist_may_not_set_the_look(shoot_today, make_staff, login):
    other = make_staff(roles.DRESS_STYLIST)
    line = _outfit(shoot_today)
    response = login(other).post(
        reverse("shoots:look", args=[shoot_today.pk]), {"line": line.pk, "look": "Forest"}
    )
    assert response.status_code == 404


def test_a_makeup_artist_may_not_set_the_look(shoot_today, crew, login):
    line = _outfit(shoot_today)
    response = login(crew.makeup_artist).post(
        reverse("shoots:look", args=[shoot_today.pk]), {"line": line.pk, "look": "Forest"}
    )
    assert response.status_code == 403


def test_another_branchs_shoot_is_not_found(shoot_today, make_staff, other_branch, login):
    elsewhere = make_staff(roles.DISPATCHER, branch=other_branch)
    line = _outfit(shoot_today)
    response = login(elsewhere).post(
        reverse("shoots:look", args=[shoot_today.pk]), {"line": line.pk, "look": "Forest"}
    )
    assert response.status_code == 404


def test_the_tablet_card_lists_outfits_with_their_looks_and_no_trailing_comma(
    shoot_today, crew, login
):
    services.set_look(line=_outfit(shoot_today, 0), look="Forest", by=crew.dispatcher)
    body = login(crew.makeup_artist).get(reverse("shoots:tablet")).content.decode()
    start = body.index('data-testid="outfits">')
    outfits = body[start : body.index("</p>", start)]
    assert "White gown (Forest), Evening dress" in outfits
    assert not outfits.rstrip().endswith(",")
