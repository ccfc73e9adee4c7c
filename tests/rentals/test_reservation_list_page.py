"""The reservation list: what is still to pick up or to come back, soonest first."""

from datetime import timedelta

from django.urls import reverse
from django.utils.html import escape

from rentals.models import Dress, DressReservation
from studio import roles

URL = reverse("rentals:reservations")


def test_it_lists_the_dress_the_couple_and_the_dates(login, dress_stylist, reservation):
    client = login(dress_stylist)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(URL).content.decode()
    link = reverse("rentals:detail", args=[reservation.pk])
    day = reservation.pickup_on
    assert f"<td>{day.year}年{day.month}月{day.day}日</td>" in body
    assert f'<a href="{link}">WG-001</a> <span class="small text-muted">婚纱 · M</span>' in body
    assert f"<td>{escape(reservation.customer)} <span" in body
    assert reservation.order.number in body
    assert "<td>已预约</td>" in body
    client.cookies["django_language"] = "en"
    body = client.get(URL).content.decode()
    assert f"<td>{day:%m/%d/%Y}</td>" in body and "Wedding gown · M" in body
    assert "<td>Reserved</td>" in body


def test_a_dress_picked_up_stays_until_its_return_day(login, dress_stylist, picked_up, branch):
    client = login(dress_stylist)
    assert "<td>Picked up</td>" in client.get(URL).content.decode()
    today = branch.today()
    DressReservation.objects.filter(pk=picked_up.pk).update(
        pickup_on=today - timedelta(days=3), return_on=today, cleaning_until=today
    )
    response = client.get(URL)
    assert [r["pk"] for r in response.context["reservations"]] == [picked_up.pk]


def test_a_dress_not_back_on_its_return_day_stays_marked_overdue(
    login, dress_stylist, picked_up, branch
):
    """Until it is back: the list is where the stylist sees which dresses to chase."""
    today = branch.today()
    DressReservation.objects.filter(pk=picked_up.pk).update(
        pickup_on=today - timedelta(days=5), return_on=today - timedelta(days=2),
        cleaning_until=today - timedelta(days=2),
    )  # fmt: skip
    client = login(dress_stylist)
    response = client.get(URL)
    assert [r["pk"] for r in response.context["reservations"]] == [picked_up.pk]
    assert 'data-testid="overdue"' in response.content.decode()
    client.cookies["django_language"] = "zh-hans"
    assert "逾期未还" in client.get(URL).content.decode()


def test_it_leaves_out_returned_and_cancelled_ones(login, dress_stylist, reservation, reserve):
    later = reserve(pickup_on=reservation.pickup_on + timedelta(days=20))
    DressReservation.objects.filter(pk=reservation.pk).update(status="cancelled")
    response = login(dress_stylist).get(URL)
    assert [r["pk"] for r in response.context["reservations"]] == [later.pk]


def test_another_branch_sees_none_of_them(login, make_staff, other_branch, reservation):
    stranger = make_staff(roles.DRESS_STYLIST, branch=other_branch)
    response = login(stranger).get(URL)
    assert response.context["reservations"] == []
    assert "WG-001" not in response.content.decode()


def test_its_query_count_is_fixed(
    login, dress_stylist, branch, reservation, reserve, make_order, django_assert_max_num_queries
):
    client = login(dress_stylist)
    client.get(URL)
    with django_assert_max_num_queries(10) as one:
        client.get(URL)
    for i in range(5):
        dress = Dress.objects.create(branch=branch, code=f"QP-{i}", category="qipao", size="M")
        reserve(order=make_order(), dress=dress)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(response.context["reservations"]) == 6


def test_other_roles_are_refused(login, photographer):
    assert login(photographer).get(URL).status_code == 403


def test_it_rejects_post(login, dress_stylist):
    assert login(dress_stylist).post(URL).status_code == 405


def test_the_rows_escape_what_was_typed(login, dress_stylist, reservation, dress, customer):
    """The rows are written in Python (rentals.templatetags.rental_rows): each value is
    escaped as the template escaped it."""
    hostile = '<img src=x onerror="alert(1)">'
    short = "<b>&"  # a dress's code and size are short fields
    Dress.objects.filter(pk=dress.pk).update(code=f"{short}WG", size=f"{short}M")
    customer.bride_name = f"{hostile}Wu"
    customer.save()
    body = login(dress_stylist).get(URL).content.decode()
    assert hostile not in body and short not in body
    assert "&lt;b&gt;&amp;WG</a>" in body
    assert "&lt;b&gt;&amp;M</span>" in body
    assert escape(hostile) + "Wu" in body
    assert 'class="table-warning"' not in body  # nothing overdue


def test_only_the_overdue_row_is_marked(login, dress_stylist, picked_up, reserve, branch):
    today = branch.today()
    DressReservation.objects.filter(pk=picked_up.pk).update(
        pickup_on=today - timedelta(days=5), return_on=today - timedelta(days=1),
        cleaning_until=today - timedelta(days=1),
    )  # fmt: skip
    reserve(pickup_on=today + timedelta(days=30))
    body = login(dress_stylist).get(URL).content.decode()
    assert body.count('<tr class="table-warning">') == 1
    assert body.count('data-testid="overdue"') == 1
    late_row = body.split('<tr class="table-warning">')[1].split("</tr>")[0]
    assert reverse("rentals:detail", args=[picked_up.pk]) in late_row
    assert ">Overdue</span>" in late_row
