"""The pickup desk page: slip, balance, items, extras, survey, delivery."""

import pytest
from django.urls import reverse

from orders.models import LedgerEntry, Order, State
from pickup.models import LostSlipMemo, PartialPickupMemo, PickupAppointment, Survey
from selection.models import ProductionItem
from studio import roles


def _url(pickup):
    return reverse("pickup:desk", args=[pickup.pk])


ACTIONS = ["slip", "pay", "hand_over", "extra", "survey", "complete"]


def _post(client, pickup, action, follow=False, **data):
    return client.post(reverse(f"pickup:desk_{action}", args=[pickup.pk]), data, follow=follow)


def test_it_shows_the_desk(login, pickup_clerk, pickup, items):
    response = login(pickup_clerk).get(_url(pickup))
    assert response.status_code == 200
    body = response.content.decode()
    assert pickup.slip_number in body and 'data-testid="hand-over-form"' in body
    assert 'data-testid="payment-form"' in body  # the balance is due


def test_no_item_starts_ticked_as_handed_over(login, pickup_clerk, pickup, items, paid):
    """The clerk ticks each item as it is counted out; nothing is ticked beforehand."""
    assert any(i.qc_passed_at for i in items)
    response = login(pickup_clerk).get(_url(pickup))
    form = response.context["hand_over_form"]
    assert not form["items"].value()
    body = response.content.decode()
    boxes = body.split('data-testid="hand-over-form"')[1].split("</form>")[0]
    assert 'type="checkbox"' in boxes
    assert " checked" not in boxes


def test_a_wrong_slip_is_explained_at_the_field(login, pickup_clerk, pickup):
    response = _post(login(pickup_clerk), pickup, "slip", **{"slip-slip_number": "NOPE"})
    assert response.status_code == 400
    assert response.context["slip_form"].errors["slip_number"]
    pickup.refresh_from_db()
    assert pickup.slip_verified_at is None


def test_a_lost_slip_without_id_is_explained(login, pickup_clerk, pickup):
    response = _post(login(pickup_clerk), pickup, "slip")
    assert response.status_code == 400
    errors = response.context["slip_form"].errors
    assert errors["lost_slip_id_type"] and errors["lost_slip_id_number"]
    assert not LostSlipMemo.objects.exists()


def test_a_lost_slip_with_id_links_the_memo(login, pickup_clerk, pickup):
    client = login(pickup_clerk)
    response = _post(
        client,
        pickup,
        "slip",
        **{"slip-lost_slip_id_type": "passport", "slip-lost_slip_id_number": "E1234567"},
    )
    assert response.status_code == 302
    memo = LostSlipMemo.objects.get()
    body = client.get(_url(pickup)).content.decode()
    assert reverse("pickup:lost_slip_pdf", args=[memo.pk]) in body


def test_the_balance_is_paid_at_the_desk(login, pickup_clerk, pickup):
    order = pickup.order
    due = order.balance_due
    client = login(pickup_clerk)
    response = client.get(_url(pickup))
    assert response.context["payment_form"].initial["amount"] == due
    response = _post(
        client,
        pickup,
        "pay",
        **{
            "pay-kind": "balance",
            "pay-method": "cash",
            "pay-amount": str(due),
            "pay-request_key": "a1",
        },
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).balance_due == 0


def test_handing_over_with_the_balance_due_is_refused(login, pickup_clerk, pickup, items):
    client = login(pickup_clerk)
    _post(client, pickup, "slip", **{"slip-slip_number": pickup.slip_number})
    response = _post(client, pickup, "hand_over", **{"give-items": [str(i.pk) for i in items]})
    assert response.status_code == 400
    assert "balance must be paid" in response.content.decode()
    assert not ProductionItem.objects.filter(handed_over_at__isnull=False).exists()


def test_missing_items_give_a_partial_memo_and_go_to_the_next_desk(
    login, pickup_clerk, pickup, items, paid
):
    client = login(pickup_clerk)
    _post(client, pickup, "slip", **{"slip-slip_number": pickup.slip_number})
    response = _post(client, pickup, "hand_over", **{"give-items": [str(items[0].pk)]})
    memo = PartialPickupMemo.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("pickup:desk", args=[memo.next_appointment_id])


def test_the_whole_pickup_delivers_once(login, pickup_clerk, pickup, items, paid):
    client = login(pickup_clerk)
    _post(client, pickup, "slip", **{"slip-slip_number": pickup.slip_number})
    _post(client, pickup, "hand_over", **{"give-items": [str(i.pk) for i in items]})
    _post(client, pickup, "survey", **{"survey-score": "5", "survey-would_refer": "on"})
    assert _post(client, pickup, "complete").status_code == 302
    assert Order.objects.get(pk=pickup.order_id).state == State.DELIVERED
    assert Survey.objects.get().would_refer
    again = _post(client, pickup, "complete", follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == _url(pickup)
    assert "Already done: this order is already Delivered." in again.text


def test_completing_too_early_says_what_is_missing(login, pickup_clerk, pickup, items):
    response = _post(login(pickup_clerk), pickup, "complete")
    assert response.status_code == 400
    body = response.content.decode()
    assert "balance must be paid" in body and "handed over" in body
    assert PickupAppointment.objects.get(pk=pickup.pk).status == "booked"


def test_an_extra_is_sold_and_a_bad_quantity_explained(login, pickup_clerk, pickup, paid):
    from pickup import services

    frame = services.extras(branch=pickup.branch).get(product="frame")
    client = login(pickup_clerk)
    bad = _post(
        client,
        pickup,
        "extra",
        **{
            "extra-price_item": frame.pk,
            "extra-quantity": "0",
            "extra-method": "cash",
            "extra-request_key": "x",
        },
    )
    assert bad.status_code == 400 and bad.context["extra_form"].errors["quantity"]
    good = _post(
        client,
        pickup,
        "extra",
        **{
            "extra-price_item": frame.pk,
            "extra-quantity": "1",
            "extra-method": "cash",
            "extra-request_key": "y",
        },
    )
    assert good.status_code == 302
    assert LedgerEntry.objects.filter(kind="pickup_upsell").count() == 1


def test_a_bad_survey_score_is_explained(login, pickup_clerk, pickup):
    response = _post(login(pickup_clerk), pickup, "survey", **{"survey-score": "9"})
    assert response.status_code == 400 and response.context["survey_form"].errors["score"]
    assert not Survey.objects.exists()


def test_the_desk_page_itself_takes_no_post(login, pickup_clerk, pickup):
    """Each action has its own view and URL; the page only shows the forms."""
    response = login(pickup_clerk).post(_url(pickup), {"action": "complete"})
    assert response.status_code == 405
    assert PickupAppointment.objects.get(pk=pickup.pk).status == "booked"


def test_each_form_posts_to_its_own_action(login, pickup_clerk, pickup, items):
    body = login(pickup_clerk).get(_url(pickup)).content.decode()
    for action in ACTIONS:
        assert f'action="{reverse(f"pickup:desk_{action}", args=[pickup.pk])}"' in body, action


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_is_scoped_and_guarded(
    login, make_staff, photographer, other_branch, pickup, action
):
    stranger = make_staff(roles.PICKUP_CLERK, branch=other_branch)
    assert _post(login(stranger), pickup, action).status_code == 404
    assert _post(login(photographer), pickup, action).status_code == 403
    url = reverse(f"pickup:desk_{action}", args=[pickup.pk])
    assert login(make_staff(roles.PICKUP_CLERK)).get(url).status_code == 405


@pytest.mark.parametrize("role", [roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER])
def test_the_desk_roles_may_open_it(login, make_staff, pickup, role):
    assert login(make_staff(role)).get(_url(pickup)).status_code == 200


def test_field_roles_and_production_are_refused(login, photographer, make_staff, pickup):
    assert login(photographer).get(_url(pickup)).status_code == 403
    assert login(make_staff(roles.PRODUCTION)).get(_url(pickup)).status_code == 403


def test_another_branch_gets_404(login, make_staff, other_branch, pickup):
    stranger = make_staff(roles.PICKUP_CLERK, branch=other_branch)
    assert login(stranger).get(_url(pickup)).status_code == 404


def test_the_desk_rejects_put(login, pickup_clerk, pickup):
    assert login(pickup_clerk).put(_url(pickup)).status_code == 405


def test_the_sheet_links_to_the_desk_and_the_check(login, pickup_clerk, pickup):
    response = login(pickup_clerk).get(
        reverse("pickup:sheet"), {"date": pickup.starts_at.date().isoformat()}
    )
    body = response.content.decode()
    assert _url(pickup) in body and reverse("pickup:check", args=[pickup.pk]) in body
