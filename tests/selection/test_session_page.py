"""The consultant's session page: picks by typed numbers (htmx), products, the live upsell."""

import pytest
from django.urls import reverse

from selection import services
from selection.models import PriceItem
from studio import roles


def _url(order, name="session"):
    return reverse(f"selection:{name}", args=[order.number])


def test_the_page_shows_counts_against_the_package(selecting_order, session, consultant, login):
    services.pick(session=session, numbers=range(1, 33), pass_="confirmed", by=consultant)
    response = login(consultant).get(_url(selecting_order), {"pass": "confirmed"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "32 / 30" in body
    assert "¥200.00" in body  # 2 extra retouched photos


def test_typed_ranges_are_picked_and_the_workspace_comes_back(selecting_order, consultant, login):
    response = login(consultant).post(
        _url(selecting_order, "picks"),
        {"numbers": "1-20, 33, 41", "pass_kind": "first", "retouch": "on", "action": "pick"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().startswith('<div id="workspace"')
    assert selecting_order.selection.picks.filter(pass_kind="first").count() == 22


def test_a_plain_post_redirects_to_the_pass(selecting_order, consultant, login):
    response = login(consultant).post(
        _url(selecting_order, "picks"),
        {"numbers": "5", "pass_kind": "keep", "action": "pick"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?pass=keep")


def test_a_bad_range_is_explained_at_the_field_and_nothing_is_picked(
    selecting_order, consultant, login
):
    response = login(consultant).post(
        _url(selecting_order, "picks"),
        {"numbers": "1-x", "pass_kind": "first", "action": "pick"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "is not a photo number or a range like 1-20." in response.content.decode()
    assert 'data-testid="numbers-error"' in response.content.decode()
    assert not selecting_order.selection.picks.exists()


def test_a_product_is_added_from_the_price_list(selecting_order, consultant, login, branch):
    item = PriceItem.objects.get(branch=branch, product="frame")
    response = login(consultant).post(
        _url(selecting_order, "products"),
        {"price_item": item.pk, "quantity": 2},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "¥600.00" in response.content.decode()


def test_a_product_from_another_branch_is_refused(selecting_order, consultant, login, other_branch):
    services.price_list(branch=other_branch)
    item = PriceItem.objects.get(branch=other_branch, product="frame")
    response = login(consultant).post(
        _url(selecting_order, "products"), {"price_item": item.pk, "quantity": 1}
    )
    assert response.status_code == 400
    assert not selecting_order.selection.product_lines.exists()


def test_picks_refuse_get(selecting_order, consultant, login):
    assert login(consultant).get(_url(selecting_order, "picks")).status_code == 405


def test_the_session_refuses_post(selecting_order, consultant, login):
    assert login(consultant).post(_url(selecting_order)).status_code == 405


@pytest.mark.parametrize("role", [roles.RETOUCHER, roles.PHOTOGRAPHER, roles.DISPATCHER])
def test_roles_without_money_may_not_open_the_session(selecting_order, make_staff, login, role):
    assert login(make_staff(role)).get(_url(selecting_order)).status_code == 403


def test_another_branchs_session_is_not_found(selecting_order, make_staff, other_branch, login):
    elsewhere = make_staff(roles.SELECTION_CONSULTANT, branch=other_branch)
    client = login(elsewhere)
    assert client.get(_url(selecting_order)).status_code == 404
    response = client.post(
        _url(selecting_order, "picks"), {"numbers": "1", "pass_kind": "first", "action": "pick"}
    )
    assert response.status_code == 404
    assert not selecting_order.selection.picks.exists()


def test_the_start_button_starts_the_selection(shot_order, consultant, login):
    services.mark_files(
        order=shot_order, transferred=True, complete=True, photo_count=50, by=consultant
    )
    response = login(consultant).post(reverse("selection:start", args=[shot_order.number]))
    assert response.status_code == 302
    shot_order.refresh_from_db()
    assert shot_order.state == "selecting"


def test_the_page_takes_the_same_queries_for_few_or_many_picks(
    selecting_order, session, consultant, login, branch, django_assert_max_num_queries
):
    client = login(consultant)
    services.pick(session=session, numbers={1}, pass_="confirmed", by=consultant)
    with django_assert_max_num_queries(30) as few:
        client.get(_url(selecting_order), {"pass": "confirmed"})
    services.pick(session=session, numbers=range(1, 150), pass_="confirmed", by=consultant)
    for product in ("frame", "crystal", "usb"):
        services.add_product(
            session=session,
            price_item=PriceItem.objects.get(branch=branch, product=product),
            quantity=1,
            by=consultant,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url(selecting_order), {"pass": "confirmed"})
