"""The production board: by stage with due dates, one-tap moves, no money."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from orders.models import State
from selection import services
from selection.models import ProductionItem
from studio import roles

from .conftest import walk_to_qc

BOARD = "selection:board"


def _move(item, action):
    return reverse(f"selection:move_{action}", args=[item.pk])


def _form(body, action):
    """The form posting to `action`, with its hx-post to the same address."""
    found = re.search(f'<form method="post" action="{action}" hx-post="{action}".*?</form>', body)
    assert found, action
    return found.group()


def test_the_board_lists_items_by_stage_without_prices(production_order, retoucher, login):
    response = login(retoucher).get(reverse(BOARD))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="item"') == 2
    assert production_order.number in body
    assert "¥" not in body


def test_each_stage_shows_its_taps_with_the_items_address(production_order, retoucher, login):
    first, second = production_order.production_items.order_by("pk")
    walk_to_qc(first, retoucher)
    walk_to_qc(second, retoucher)
    services.fail_qc(item=second, by=retoucher, reason="Scratched cover")
    third = ProductionItem.objects.create(order=production_order, name="Frame", stage="design")
    client = login(retoucher)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse(BOARD)).content.decode()
    assert 'name="from" value="design">' in _form(body, _move(third, "next"))
    assert "下一步 &rarr;" in _form(body, _move(third, "next"))
    assert "btn-success" in _form(body, _move(first, "pass"))
    assert 'placeholder="问题所在"' in _form(body, _move(first, "fail"))
    assert body.count(f'action="{_move(second, "resume")}"') == 3
    assert 'name="to" value="retouch">' in _form(body, _move(second, "resume"))
    assert '<div class="small text-danger">Scratched cover</div>' in body
    assert f"{production_order.number} · {escape(production_order.customer)}" in body
    client.cookies["django_language"] = "en"
    body = client.get(reverse(BOARD)).content.decode()
    assert "Next &rarr;" in body and "QC passed" in body and 'placeholder="What is wrong"' in body


def test_the_board_warns_of_late_items(production_order, retoucher, login):
    today = production_order.branch.today()
    ProductionItem.objects.filter(order=production_order).update(due_date=today)
    client = login(retoucher)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse(BOARD)).content.decode()
    late = body[body.index('data-testid="late"') :]
    assert f"<li>{production_order.number} · " in late
    assert f" · 修图 · 到期 {today.year}年{today.month}月{today.day}日</li>" in late


def test_a_tap_moves_an_item_to_the_next_stage(production_order, retoucher, login):
    item = production_order.production_items.first()
    response = login(retoucher).post(_move(item, "next"), {"from": "retouch"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.stage == "design"


def test_rework_needs_a_reason_at_the_item(production_order, retoucher, login):
    item = walk_to_qc(production_order.production_items.first(), retoucher)
    response = login(retoucher).post(_move(item, "fail"), {"reason": ""})
    assert response.status_code == 400
    assert 'data-testid="move-error"' in response.content.decode()
    item.refresh_from_db()
    assert item.stage == "qc"


def test_the_last_pass_marks_the_order_ready(production_order, retoucher, login):
    client = login(retoucher)
    for item in production_order.production_items.all():
        walk_to_qc(item, retoucher)
        assert client.post(_move(item, "pass")).status_code == 302
    production_order.refresh_from_db()
    assert production_order.state == State.READY


def test_the_consultant_reads_but_does_not_move(production_order, consultant, login):
    client = login(consultant)
    response = client.get(reverse(BOARD))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="item"') == 2
    assert "/selection/production/" not in response.content.decode().split('id="board"')[1]
    item = production_order.production_items.first()
    assert client.post(_move(item, "next")).status_code == 403


@pytest.mark.parametrize("role", [roles.PHOTOGRAPHER, roles.RECEPTIONIST])
def test_other_roles_may_not_see_the_board(make_staff, login, role):
    assert login(make_staff(role)).get(reverse(BOARD)).status_code == 403


def test_another_branchs_item_is_not_found(production_order, make_staff, other_branch, login):
    elsewhere = make_staff(roles.RETOUCHER, branch=other_branch)
    item = production_order.production_items.first()
    assert login(elsewhere).post(_move(item, "next")).status_code == 404
    body = login(elsewhere).get(reverse(BOARD)).content.decode()
    assert production_order.number not in body


def test_moves_refuse_get(production_order, retoucher, login):
    item = production_order.production_items.first()
    assert login(retoucher).get(_move(item, "next")).status_code == 405


def test_the_board_refuses_post(retoucher, login):
    assert login(retoucher).post(reverse(BOARD)).status_code == 405


def test_the_board_takes_the_same_queries_for_one_or_many_orders(
    production_order, retoucher, login, django_assert_max_num_queries
):
    client = login(retoucher)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse(BOARD))
    for item in list(ProductionItem.objects.filter(order=production_order)):
        for n in range(4):
            ProductionItem.objects.create(
                order=production_order, name=f"Frame {n}", stage="design", due_date=item.due_date
            )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse(BOARD))
    assert response.content.decode().count('data-testid="item"') == 10


def test_what_people_typed_is_escaped_on_the_cards(production_order, retoucher, login):
    first, _second = production_order.production_items.order_by("pk")
    walk_to_qc(first, retoucher)
    services.fail_qc(item=first, by=retoucher, reason="<script>alert(1)</script>")
    customer = production_order.customer
    customer.bride_name = "<b>Bold</b>"
    customer.save()
    body = login(retoucher).get(reverse(BOARD)).content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>Bold</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;b&gt;Bold&lt;/b&gt;" in body
