"""Erasing a couple's personal data on their request (PIPL): a store manager, typing the
couple's name; refused while an order is open or money owed or held; orders and the
ledger kept; every stage anonymises its own rows; a double submit erases once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from followups.models import CallTask, Complaint, OutboxMessage
from followups.services import create_call_task, log_complaint, queue_message
from orders.models import LedgerEntry, Order
from orders.services import take_hold, transition_order
from studio import roles
from studio.models import ConsentEvent, Customer, CustomerChange, DataRequest, Visit
from studio.selectors import consents_in_force
from studio.services import (
    AlreadyDone,
    ErasureRefused,
    erase_customer,
    grant_consent,
    update_customer,
)
from tests.factories import CustomerFactory, give_consent
from tests.races import run_together

pytestmark = pytest.mark.django_db


def _url(customer):
    return reverse("overview:customer_erase", args=[customer.pk])


@pytest.fixture
def filed(customer, receptionist):
    """A couple with a full file: birthdays, address, notes, an edit in the history,
    consent, a visit, a message queued, an open call and a complaint."""
    update_customer(
        customer=customer,
        by=receptionist,
        wechat="wx_zhou",
        wechat_openid="oA1b2C3d4E5f6G7h8I9j0K1l2M3x",
        address="No. 1 Nanjing Road",
        notes="Allergic to lilies",
        bride_birthday=timezone.localdate().replace(year=1995),
    )
    give_consent(customer)
    Visit.objects.create(
        branch=customer.branch, customer=customer, taker=receptionist,
        registered_by=receptionist, reason="Saw our window", compared_studios="Golden Lady",
    )  # fmt: skip
    queue_message(customer=customer, key="visit_not_booked", occasion="o:1", context={})
    create_call_task(
        customer=customer, kind=CallTask.Kind.OTHER, due_at=timezone.now(), occasion="c:1",
        assignee=receptionist,
    )  # fmt: skip
    log_complaint(customer=customer, text="The album was late", logged_by=receptionist)
    return customer


@pytest.fixture
def cancelled_order(order, manager):
    """An order cancelled after its deposit: closed, the deposit in the ledger."""
    return transition_order(order=order, name="cancel", by=manager.user)


def test_the_manager_erases_the_personal_data_and_the_law_keeps_the_money(
    filed, cancelled_order, manager
):
    entries = list(LedgerEntry.objects.filter(order=cancelled_order).values())
    request = erase_customer(customer=filed, by=manager, typed_name=str(filed))
    assert (request.kind, request.by) == (DataRequest.Kind.ERASURE, manager)
    customer = Customer.objects.get(pk=filed.pk)
    assert customer.erased_at is not None
    assert str(customer) == "[erased]"
    assert customer.phones == [f"erased-{customer.pk}"]
    assert (customer.wechat, customer.address, customer.notes) == ("", "", "")
    assert customer.wechat_openid == ""
    assert customer.bride_birthday is None and customer.wedding_date is None
    # The history held the same values: none of them is left anywhere.
    for row in customer.history.all():
        assert (row.bride_name, row.wechat, row.address, row.notes) == ("[erased]", "", "", "")
        assert row.wechat_openid == ""
    assert not CustomerChange.objects.exclude(old="—").filter(customer=customer).exists()
    visit = Visit.objects.get(customer=customer)
    assert (visit.reason, visit.compared_studios) == ("", "")
    # Every consent withdrawn, on record, by the manager.
    assert consents_in_force([customer.pk]) == set()
    withdrawals = ConsentEvent.objects.filter(customer=customer, source="erasure")
    assert withdrawals.count() == 8 and {e.recorded_by for e in withdrawals} == {manager}
    # Aftercare: nothing more reaches them, and what was written to them is gone.
    message = OutboxMessage.objects.get(customer=customer)
    assert (message.status, message.skip_reason) == ("skipped", "erased")
    assert (message.to, message.body, message.params) == ("", "", {})
    assert CallTask.objects.get(customer=customer).status == CallTask.Status.CANCELLED
    assert Complaint.objects.get(customer=customer).text == "—"
    # The order and its ledger stay as they were.
    assert Order.objects.get(pk=cancelled_order.pk).customer_id == customer.pk
    assert list(LedgerEntry.objects.filter(order=cancelled_order).values()) == entries


def test_the_old_phone_finds_nothing_and_may_file_a_new_couple(filed, manager, branch):
    from studio.selectors import customers_matching

    old_phone = filed.bride_phone
    erase_customer(customer=filed, by=manager, typed_name=str(filed))
    assert not customers_matching(Customer.objects.all(), old_phone).exists()
    assert not customers_matching(Customer.objects.all(), old_phone[:5]).exists()
    assert CustomerFactory(branch=branch, bride_phone=old_phone).pk != filed.pk


def test_an_open_order_refuses_with_the_reason(filed, order, manager):
    with pytest.raises(ErasureRefused) as refused:
        erase_customer(customer=filed, by=manager, typed_name=str(filed))
    assert order.number in refused.value.messages[0] and "still open" in refused.value.messages[0]
    filed.refresh_from_db()
    assert filed.erased_at is None and filed.wechat == "wx_zhou"
    assert not DataRequest.objects.exists()
    assert len(consents_in_force([filed.pk])) == 8


def test_a_deposit_still_held_refuses(filed, cancelled_order, manager):
    take_hold(
        order=cancelled_order, kind=LedgerEntry.Kind.LOCKER_DEPOSIT, method="cash",
        amount=Decimal("100"), staff=manager,
    )  # fmt: skip
    with pytest.raises(ErasureRefused) as refused:
        erase_customer(customer=filed, by=manager, typed_name=str(filed))
    assert "deposit is still held" in refused.value.messages[0]


def test_a_wrong_name_refuses_and_changes_nothing(filed, manager):
    with pytest.raises(ValidationError) as refused:
        erase_customer(customer=filed, by=manager, typed_name="Somebody Else")
    assert "typed_name" in refused.value.message_dict
    filed.refresh_from_db()
    assert filed.erased_at is None


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - {roles.MANAGER}))
def test_only_a_store_manager_may_erase(filed, make_staff, role):
    with pytest.raises(ValidationError):
        erase_customer(customer=filed, by=make_staff(role), typed_name=str(filed))
    assert Customer.objects.get(pk=filed.pk).erased_at is None


def test_a_manager_of_another_branch_may_not(filed, make_staff, other_branch):
    stranger = make_staff(roles.MANAGER, branch=other_branch)
    with pytest.raises(ValidationError):
        erase_customer(customer=filed, by=stranger, typed_name=str(filed))


def test_the_second_press_is_already_done(filed, manager):
    erase_customer(customer=filed, by=manager, typed_name=str(filed))
    with pytest.raises(AlreadyDone):
        erase_customer(customer=filed, by=manager, typed_name=str(filed))
    assert DataRequest.objects.filter(kind="erasure").count() == 1


def test_an_erased_file_cannot_be_edited_back(filed, manager, receptionist):
    erase_customer(customer=filed, by=manager, typed_name=str(filed))
    with pytest.raises(ValidationError):
        update_customer(customer=filed, by=receptionist, wechat="wx_back")


@pytest.mark.django_db(transaction=True)
def test_two_managers_erasing_at_once_erase_once(branch, make_staff):
    customer = CustomerFactory(branch=branch)
    give_consent(customer)
    first, second = make_staff(roles.MANAGER), make_staff(roles.MANAGER)
    name = str(customer)
    results = run_together(
        lambda: erase_customer(customer=customer, by=first, typed_name=name),
        lambda: erase_customer(customer=customer, by=second, typed_name=name),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    assert isinstance(next(v for k, v in results if k == "error"), AlreadyDone)
    assert DataRequest.objects.filter(kind="erasure").count() == 1
    assert ConsentEvent.objects.filter(source="erasure").count() == 8


@pytest.mark.django_db(transaction=True)
def test_a_consent_granted_while_erasing_never_stays_in_force(branch, make_staff):
    customer = CustomerFactory(branch=branch)
    manager, desk = make_staff(roles.MANAGER), make_staff(roles.RECEPTIONIST)
    run_together(
        lambda: erase_customer(customer=customer, by=manager, typed_name=str(customer)),
        lambda: grant_consent(
            customer, purpose="marketing", channel="sms", source="front_desk", by=desk
        ),
    )
    assert Customer.objects.get(pk=customer.pk).erased_at is not None
    assert consents_in_force([customer.pk]) == set()


# --- The page ---


def test_the_page_asks_for_the_name_in_both_languages(login, manager, filed):
    client = login(manager)
    page = client.get(_url(filed)).content.decode()
    assert "This cannot be undone." in page and escape(str(filed)) in page
    client.cookies["django_language"] = "zh-hans"
    assert "此操作不可撤销" in client.get(_url(filed)).content.decode()


def test_the_page_erases_and_lands_on_the_file(login, manager, filed):
    response = login(manager).post(_url(filed), {"typed_name": str(filed)})
    assert response.status_code == 302
    assert response["Location"] == reverse("overview:customer", args=[filed.pk])
    page = login(manager).get(response["Location"]).content.decode()
    assert 'data-testid="erased"' in page and "[erased]" in page


@pytest.mark.parametrize("typed", ["", "   ", "Bride", "<script>x</script>"])
def test_a_wrong_or_empty_name_is_refused_at_the_field(login, manager, filed, typed):
    response = login(manager).post(_url(filed), {"typed_name": typed})
    assert response.status_code == 400
    assert "exactly as on the file" in response.content.decode()
    assert Customer.objects.get(pk=filed.pk).erased_at is None


def test_a_refusal_says_why_on_the_page(login, manager, filed, order):
    response = login(manager).post(_url(filed), {"typed_name": str(filed)})
    assert response.status_code == 400
    assert 'data-testid="erase-refused"' in response.content.decode()
    assert order.number in response.content.decode()


def test_a_second_submit_is_a_warning_not_an_error(login, manager, filed):
    client = login(manager)
    client.post(_url(filed), {"typed_name": str(filed)})
    response = client.post(_url(filed), {"typed_name": str(filed)}, follow=True)
    assert response.status_code == 200
    assert "Already done" in response.content.decode()


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - {roles.MANAGER}))
def test_every_other_role_is_refused_the_page(login, make_staff, filed, role):
    client = login(make_staff(role))
    assert client.get(_url(filed)).status_code in (403, 404)
    assert client.post(_url(filed), {"typed_name": str(filed)}).status_code in (403, 404)
    assert Customer.objects.get(pk=filed.pk).erased_at is None


def test_another_branchs_customer_is_not_found(login, manager, other_branch):
    stranger = CustomerFactory(branch=other_branch)
    client = login(manager)
    assert client.get(_url(stranger)).status_code == 404
    assert client.post(_url(stranger), {"typed_name": str(stranger)}).status_code == 404


def test_the_file_offers_erasure_to_managers_only(login, manager, receptionist, filed):
    file_url = reverse("overview:customer", args=[filed.pk])
    assert _url(filed) in login(manager).get(file_url).content.decode()
    assert _url(filed) not in login(receptionist).get(file_url).content.decode()


def test_the_notes_typed_with_a_state_change_go_and_the_change_stays(
    filed, order, manager, make_order
):
    """A note typed when moving the order ("her mother collects, call 139…") is the
    couple's data; who moved it, when and to which state is the studio's record."""
    from django_fsm_log.models import StateLog

    transition_order(order=order, name="cancel", by=manager.user, note="Mother collects, 139")
    other = make_order(customer=CustomerFactory(branch=filed.branch))
    transition_order(order=other, name="cancel", by=manager.user, note="Their own note")
    erase_customer(customer=filed, by=manager, typed_name=str(filed))
    rows = StateLog.objects.for_(order)
    assert rows.filter(state="cancelled").exists()
    assert not rows.exclude(description="").exclude(description__isnull=True).exists()
    assert StateLog.objects.for_(other).filter(description="Their own note").exists()
