"""The compensation pages: proposed on a complaint's or a delay apology's page, approved or
rejected there by a store manager, listed for the branch, shown on the order page and the
customer file; refused to every other role and to another branch."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import LedgerEntry
from selection import services
from selection.models import Compensation
from studio import roles
from tests.factories import StaffFactory

ALLOWED = services.PROPOSES_COMPENSATION | services.APPROVES_COMPENSATION


def settle_url(complaint):
    return reverse("selection:complaint_compensation", args=[complaint.pk])


def voucher_post(branch, **overrides):
    expires = branch.today() + timedelta(days=90)
    return {
        "kind": "voucher", "amount": "300", "expires_on": expires.isoformat(), "quantity": "1",
        "method": "", "reason": "Scratched cover",
    } | overrides  # fmt: skip


@pytest.fixture
def proposed(complaint, customer_service):
    return services.propose_compensation(
        by=customer_service, complaint=complaint, kind="refund", amount="500", method="cash",
        reason="Scratched cover",
    )  # fmt: skip


def test_customer_service_proposes_on_the_complaints_page(login, customer_service, complaint):
    client = login(customer_service)
    page = client.get(settle_url(complaint))
    assert page.status_code == 200
    assert "The album cover is scratched" in page.text
    response = client.post(settle_url(complaint), voucher_post(complaint.branch))
    assert response.status_code == 302
    compensation = Compensation.objects.get()
    assert (compensation.kind, compensation.proposed_by) == ("voucher", customer_service)
    page = client.get(settle_url(complaint))
    assert "Voucher worth ¥300.00" in page.text
    assert "Waiting for a manager" in page.text
    assert 'data-testid="approve"' not in page.text  # customer service does not decide


def test_a_delay_apology_has_its_page_too(login, customer_service, delay_call, enlargement):
    url = reverse("selection:delay_compensation", args=[delay_call.pk])
    client = login(customer_service)
    assert client.get(url).status_code == 200
    data = voucher_post(delay_call.branch, kind="free_item", price_item=str(enlargement.pk))
    assert client.post(url, data).status_code == 302
    assert Compensation.objects.get().call_task == delay_call


def test_another_call_is_not_found(login, customer_service, order):
    from django.utils import timezone

    from followups.services import create_call_task

    call = create_call_task(
        customer=order.customer, order=order, kind="urge", due_at=timezone.now(), occasion="u1"
    )
    url = reverse("selection:delay_compensation", args=[call.pk])
    assert login(customer_service).get(url).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "refund", "amount": "2000.01", "method": "cash"}, "Only ¥2,000.00 has been paid"),
        ({"amount": "-1"}, "more than zero"),
        ({"amount": "abc"}, "Enter a number"),
        ({"kind": "free_item"}, "Choose the product to make"),
        ({"kind": "free_item", "price_item": "999999"}, "Select a valid choice"),
        ({"reason": ""}, "This field is required"),
        ({"expires_on": "2020-01-01"}, "valid after today"),
    ],
)
def test_bad_input_shows_the_message_and_saves_nothing(
    login, customer_service, complaint, changes, message
):
    response = login(customer_service).post(
        settle_url(complaint), voucher_post(complaint.branch, **changes)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not Compensation.objects.exists()


def test_a_manager_approves_once_and_the_refund_shows_on_the_order(
    login, manager, proposed, complaint
):
    client = login(manager)
    page = client.get(settle_url(complaint))
    assert 'data-testid="approve"' in page.text
    approve = reverse("selection:approve_compensation", args=[proposed.pk])
    response = client.post(approve, follow=True)
    assert "Approved: it takes effect now." in response.text
    again = client.post(approve, follow=True)
    assert "Already decided: Approved by Wang Fang." in again.text
    assert LedgerEntry.objects.filter(kind="refund").count() == 1
    order_page = client.get(complaint.order.get_absolute_url())
    assert "Refund of ¥500.00 (Cash)" in order_page.text
    assert 'data-testid="order-compensations"' in order_page.text
    assert "Compensation approved by Wang Fang: Scratched cover" in order_page.text  # ledger
    assert "¥1,500.00" in order_page.text  # paid, the refund deducted


def test_a_manager_rejects_with_a_reason(login, manager, proposed):
    client = login(manager)
    reject = reverse("selection:reject_compensation", args=[proposed.pk])
    response = client.post(reject, {"rejection_reason": ""}, follow=True)
    assert "Say why it is rejected." in response.text
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    client.post(reject, {"rejection_reason": "Scratch was there at pickup"})
    proposed.refresh_from_db()
    assert (proposed.status, proposed.rejection_reason) == (
        "rejected", "Scratch was there at pickup",
    )  # fmt: skip
    assert not LedgerEntry.objects.filter(kind="refund").exists()


def test_the_decisions_are_posts_only(login, manager, proposed):
    client = login(manager)
    for name in ("approve_compensation", "reject_compensation"):
        assert client.get(reverse(f"selection:{name}", args=[proposed.pk])).status_code == 405
    proposed.refresh_from_db()
    assert proposed.status == "proposed"


@pytest.mark.parametrize("role", roles.ALL)
def test_every_other_role_is_refused(login, make_staff, complaint, proposed, role):
    client = login(make_staff(role))
    pages = [settle_url(complaint), reverse("selection:compensations")]
    decisions = [
        reverse("selection:approve_compensation", args=[proposed.pk]),
        reverse("selection:reject_compensation", args=[proposed.pk]),
    ]
    if role in ALLOWED:
        assert all(client.get(url).status_code == 200 for url in pages)
    else:
        assert all(client.get(url).status_code == 403 for url in pages)
        assert client.post(settle_url(complaint), voucher_post(complaint.branch)).status_code == 403
    if role not in services.APPROVES_COMPENSATION:
        for url in decisions:
            assert client.post(url, {"rejection_reason": "no"}).status_code == 403
    assert Compensation.objects.get().status == "proposed"
    assert Compensation.objects.count() == 1


def test_another_branch_is_not_found(client, other_branch, complaint, proposed):
    stranger = StaffFactory(roles=[roles.MANAGER, roles.CUSTOMER_SERVICE], branches=[other_branch])
    client.force_login(stranger.user)
    assert client.get(settle_url(complaint)).status_code == 404
    assert client.post(settle_url(complaint), voucher_post(complaint.branch)).status_code == 404
    for name in ("approve_compensation", "reject_compensation"):
        url = reverse(f"selection:{name}", args=[proposed.pk])
        assert client.post(url, {"rejection_reason": "no"}).status_code == 404
    listing = client.get(reverse("selection:compensations"))
    assert "Scratched cover" not in listing.text
    assert Compensation.objects.get().status == "proposed"


def test_the_list_asks_a_fixed_number_of_queries(
    login, manager, customer_service, receptionist, make_order, django_assert_max_num_queries
):
    from followups.services import log_complaint

    def add(n):
        for _n in range(n):
            order = make_order()
            complaint = log_complaint(
                customer=order.customer, order=order, text="Late", logged_by=receptionist
            )
            services.propose_compensation(
                by=customer_service, complaint=complaint, kind="refund", amount="10",
                method="cash", reason="Late",
            )  # fmt: skip

    client = login(manager)
    add(1)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("selection:compensations"))
    add(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("selection:compensations"))
    assert page.text.count('data-testid="compensation"') == 6


def test_the_customer_file_shows_what_was_given_in_the_readers_language(
    login, manager, complaint, proposed
):
    services.approve_compensation(compensation=proposed, by=manager)
    client = login(manager)
    url = reverse("overview:customer", args=[complaint.customer_id])
    page = client.get(url)
    assert "Compensation (Complaint of" in page.text
    assert "Refund of ¥500.00 (Cash)" in page.text
    assert settle_url(complaint) in page.text
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    page = client.get(url)
    assert "退款 ¥500.00（现金）" in page.text
    assert "补偿" in page.text


def test_money_roles_without_the_pages_see_it_unlinked(login, receptionist, complaint, proposed):
    page = login(receptionist).get(reverse("overview:customer", args=[complaint.customer_id]))
    assert "Refund of ¥500.00 (Cash)" in page.text
    assert settle_url(complaint) not in page.text


def test_roles_that_see_no_money_see_no_compensation_on_the_file(
    login, make_staff, manager, complaint, proposed
):
    services.approve_compensation(compensation=proposed, by=manager)
    retoucher = make_staff(roles.RETOUCHER)
    page = login(retoucher).get(reverse("overview:customer", args=[complaint.customer_id]))
    assert page.status_code == 200
    assert "¥500.00" not in page.text and "Compensation (" not in page.text


def test_the_form_offers_the_card_only_when_the_order_was_paid_from_one(
    login, customer_service, manager, complaint, receptionist
):
    from orders import services as order_services

    client = login(customer_service)
    assert 'value="stored"' not in client.get(settle_url(complaint)).text
    card = order_services.open_card(customer=complaint.customer, staff=receptionist)
    order_services.top_up_card(card=card, method="cash", amount="500", staff=receptionist)
    order_services.pay_from_card(
        card=card, order=complaint.order, kind="balance", amount="500", staff=receptionist
    )
    page = client.get(settle_url(complaint))
    assert 'value="stored"' in page.text and "Back onto the stored-value card" in page.text
    data = voucher_post(complaint.branch, kind="refund", amount="400", method="stored")
    assert client.post(settle_url(complaint), data).status_code == 302
    services.approve_compensation(compensation=Compensation.objects.get(), by=manager)
    assert card.balance == Decimal("400.00")
    page = login(manager).get(complaint.order.get_absolute_url())
    assert "Refund of ¥400.00 (Stored-value card)" in page.text
