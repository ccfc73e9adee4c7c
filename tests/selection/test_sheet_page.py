"""The viewing control sheet (看样控制表) of a day."""

from django.urls import reverse
from django.utils.html import escape

from studio import roles


def _sheet(client, day):
    return client.get(reverse("selection:sheet"), {"date": day.date().isoformat()})


def test_the_sheet_lists_the_days_appointments(
    book_selection, shot_order, login, receptionist, the_day_after_tomorrow
):
    book_selection(shot_order)
    response = _sheet(login(receptionist), the_day_after_tomorrow)
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(shot_order.customer) in body
    assert "Feng Xue" in body
    assert "14:00–16:00" in body
    assert "Not transferred" in body


def test_an_empty_day_says_so(login, consultant):
    body = login(consultant).get(reverse("selection:sheet")).content.decode()
    assert "No selections on this day." in body


def test_a_bad_date_shows_today(login, consultant):
    response = login(consultant).get(reverse("selection:sheet"), {"date": "tomorrow"})
    assert response.status_code == 200


def test_another_branchs_appointments_are_not_listed(
    book_selection, shot_order, make_staff, other_branch, login, the_day_after_tomorrow
):
    book_selection(shot_order)
    elsewhere = make_staff(roles.RECEPTIONIST, branch=other_branch)
    body = _sheet(login(elsewhere), the_day_after_tomorrow).content.decode()
    assert escape(shot_order.customer) not in body


def test_the_sheet_refuses_post(login, receptionist):
    assert login(receptionist).post(reverse("selection:sheet")).status_code == 405


def test_a_makeup_artist_may_not_see_the_sheet(login, make_staff):
    response = login(make_staff(roles.MAKEUP_ARTIST)).get(reverse("selection:sheet"))
    assert response.status_code == 403


def test_the_sheet_takes_the_same_queries_for_one_or_many(
    book_selection,
    make_shot_order,
    make_staff,
    login,
    receptionist,
    the_day_after_tomorrow,
    django_assert_max_num_queries,
):
    from datetime import timedelta

    book_selection(make_shot_order())
    client = login(receptionist)
    with django_assert_max_num_queries(12) as one:
        _sheet(client, the_day_after_tomorrow)
    for i in range(5):
        book_selection(
            make_shot_order(),
            consultant=make_staff(roles.SELECTION_CONSULTANT),
            starts_at=the_day_after_tomorrow + timedelta(minutes=10 * i),
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = _sheet(client, the_day_after_tomorrow)
    assert response.content.decode().count('data-testid="selection-row"') == 6
