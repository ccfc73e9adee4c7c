"""The confirm page: signature, the window waiver, a manager's discount, paying now."""

from decimal import Decimal

from django.urls import reverse

from orders.models import LedgerEntry, State
from selection import services
from selection.models import ProductionItem
from studio import roles


def _url(order):
    return reverse("selection:confirm", args=[order.number])


def _ready(session, consultant):
    services.pick(session=session, numbers=range(1, 36), pass_="confirmed", by=consultant)


def test_signing_confirms_and_takes_the_payment(selecting_order, session, consultant, login):
    _ready(session, consultant)
    response = login(consultant).post(
        _url(selecting_order),
        {"customer_signed": "on", "pay_amount": "500", "pay_method": "wechat"},
    )
    assert response.status_code == 302
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.SELECTED
    assert selecting_order.ledger.get(kind=LedgerEntry.Kind.SELECTION_UPSELL).amount == 500


def test_without_the_signature_the_field_says_so(selecting_order, session, consultant, login):
    _ready(session, consultant)
    response = login(consultant).post(_url(selecting_order), {})
    assert response.status_code == 400
    assert "The customer must sign the production list" in response.content.decode()
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.SELECTING


def test_a_discount_is_approved_by_a_managers_password(
    selecting_order, session, consultant, manager, login
):
    _ready(session, consultant)
    manager.user.set_password("boss-pw-1")
    manager.user.save()
    client = login(consultant)
    data = {"customer_signed": "on", "discount": "100", "approver_username": manager.user.username}
    refused = client.post(_url(selecting_order), {**data, "approver_password": "wrong"})
    assert refused.status_code == 400
    assert "not the username and password of a manager" in refused.content.decode()
    assert (
        client.post(_url(selecting_order), {**data, "approver_password": "boss-pw-1"}).status_code
        == 302
    )
    assert selecting_order.charges.get(amount=Decimal("-100")).approved_by == manager


def test_a_discount_without_a_manager_is_refused(selecting_order, session, consultant, login):
    _ready(session, consultant)
    response = login(consultant).post(
        _url(selecting_order), {"customer_signed": "on", "discount": "100"}
    )
    assert response.status_code == 400
    assert "needs a store manager" in response.content.decode()


def test_paying_more_than_is_due_is_refused_and_nothing_is_kept(
    selecting_order, session, consultant, login
):
    _ready(session, consultant)
    response = login(consultant).post(
        _url(selecting_order),
        {"customer_signed": "on", "pay_amount": "99999", "pay_method": "cash"},
    )
    assert response.status_code == 400
    assert not selecting_order.charges.exists()


def test_a_receptionist_may_not_confirm(selecting_order, make_staff, login):
    response = login(make_staff(roles.RECEPTIONIST)).get(_url(selecting_order))
    assert response.status_code == 403


def test_another_branch_gets_404(selecting_order, make_staff, other_branch, login):
    elsewhere = make_staff(roles.SELECTION_CONSULTANT, branch=other_branch)
    assert (
        login(elsewhere).post(_url(selecting_order), {"customer_signed": "on"}).status_code == 404
    )


def test_the_confirm_page_refuses_put(selecting_order, consultant, login):
    assert login(consultant).put(_url(selecting_order)).status_code == 405


def test_reopen_and_send_buttons(selecting_order, session, consultant, login):
    _ready(session, consultant)
    client = login(consultant)
    client.post(_url(selecting_order), {"customer_signed": "on", "waive_change_window": "on"})
    url = reverse("selection:send", args=[selecting_order.number])
    assert client.post(url).status_code == 302
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.IN_PRODUCTION


def test_an_unknown_action_is_not_found(selecting_order, consultant, login):
    url = reverse("selection:session", args=[selecting_order.number]) + "explode/"
    assert login(consultant).post(url).status_code == 404


def test_the_production_list_is_for_money_roles(production_order, make_staff, login):
    url = reverse("selection:production_list", args=[production_order.number])
    assert login(make_staff(roles.RETOUCHER)).get(url).status_code == 403


def test_a_second_signing_lands_on_the_session_with_already_done(
    selecting_order, session, consultant, login
):
    _ready(session, consultant)
    client = login(consultant)
    data = {"customer_signed": "on"}
    assert client.post(_url(selecting_order), data).status_code == 302
    items_once = ProductionItem.objects.filter(order=selecting_order).count()
    again = client.post(_url(selecting_order), data, follow=True)
    assert again.status_code == 200
    assert "Already done: this order is already Selected." in again.text
    assert ProductionItem.objects.filter(order=selecting_order).count() == items_once


def test_guessing_a_managers_password_here_locks_it_like_a_login(
    selecting_order, session, consultant, manager, login, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    _ready(session, consultant)
    client = login(consultant)
    data = {"customer_signed": "on", "discount": "100", "approver_username": manager.user.username}
    for _i in range(3):
        client.post(_url(selecting_order), {**data, "approver_password": "guess"})
    right = client.post(_url(selecting_order), {**data, "approver_password": "pw-for-tests-1"})
    assert right.status_code == 400
    assert "Too many wrong passwords" in right.content.decode()
    selecting_order.refresh_from_db()
    assert selecting_order.state == State.SELECTING
