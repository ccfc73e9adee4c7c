"""Vouchers on the pages: typed on the order page by the desk, shown in its money section,
on the compensation's page (what is used and left) and on the couple's file; refused to
every other role, to another branch, and with a clear message for a wrong code; in both
languages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import Charge, Order
from selection import services
from selection.models import VoucherUse
from studio import roles
from tests.factories import CustomerFactory, StaffFactory


@pytest.fixture
def voucher(complaint, customer_service, manager):
    proposed = services.propose_compensation(
        by=customer_service, complaint=complaint, kind="voucher", amount="300",
        expires_on=complaint.branch.today() + timedelta(days=30), reason="Scratched cover",
    )  # fmt: skip
    return services.approve_compensation(compensation=proposed, by=manager)


def redeem_url(order):
    return reverse("selection:redeem_voucher", args=[order.number])


def post(voucher, **overrides):
    return {"code": voucher.voucher_code, "amount": "", "request_key": "k"} | overrides


def test_the_desk_takes_a_voucher_on_the_order_page(login, receptionist, voucher, order):
    client = login(receptionist)
    page = client.get(order.get_absolute_url())
    assert 'data-testid="voucher-form"' in page.text
    response = client.post(redeem_url(order), post(voucher), follow=True)
    assert response.redirect_chain[0][0] == order.get_absolute_url()
    assert f"Voucher {voucher.voucher_code}: ¥300.00 taken off the balance." in response.text
    assert 'data-testid="vouchers-used">-¥300.00' in response.text
    assert "¥6,500.00" in response.text  # the balance
    assert f"Voucher {voucher.voucher_code}: ¥300.00 taken off" in response.text
    assert "Extras owed" not in response.text  # a voucher is not an extra
    assert Order.objects.get(pk=order.pk).balance_due == Decimal("6500.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": ""}, "This field is required."),
        ({"code": "VSH1-NOPE2345"}, "No voucher has the code VSH1-NOPE2345"),
        ({"amount": "-1"}, "more than zero"),
        ({"amount": "abc"}, "Enter a number."),
        ({"amount": "300.01"}, "has only ¥300.00 left"),
    ],
)
def test_bad_input_shows_the_message_and_saves_nothing(
    login, receptionist, voucher, order, changes, message
):
    response = login(receptionist).post(redeem_url(order), post(voucher, **changes))
    assert response.status_code == 400
    assert message in response.text
    assert 'data-testid="voucher-form"' in response.text
    assert not VoucherUse.objects.exists() and not Charge.objects.exists()


def test_another_couples_voucher_is_refused_with_the_reason(
    login, receptionist, voucher, branch, package
):
    from orders import services as order_services

    other = order_services.create_order(
        customer=CustomerFactory(branch=branch), package=package, owner=receptionist,
        created_by=receptionist, deposit=Decimal("2000"), deposit_method="cash",
    )  # fmt: skip
    response = login(receptionist).post(redeem_url(other), post(voucher))
    assert response.status_code == 400
    assert "was given to another couple" in response.text
    assert not VoucherUse.objects.exists()


def test_a_used_up_voucher_says_so(login, receptionist, voucher, order):
    client = login(receptionist)
    client.post(redeem_url(order), post(voucher))
    response = client.post(redeem_url(order), post(voucher, request_key="k2"))
    assert response.status_code == 400
    assert "is used up" in response.text
    assert VoucherUse.objects.count() == 1


@pytest.mark.parametrize("role", roles.ALL)
def test_every_other_role_is_refused(login, make_staff, voucher, order, role):
    client = login(make_staff(role))
    response = client.post(redeem_url(order), post(voucher))
    if role in services.REDEEMS_VOUCHERS:
        assert response.status_code == 302
        assert VoucherUse.objects.count() == 1
        return
    assert response.status_code == 403
    assert not VoucherUse.objects.exists()
    if role in roles.SEES_MONEY:  # the order page shows no form to them
        assert 'data-testid="voucher-form"' not in client.get(order.get_absolute_url()).text


def test_another_branch_is_not_found(client, other_branch, voucher, order):
    stranger = StaffFactory(
        roles=[roles.RECEPTIONIST, roles.CASHIER, roles.MANAGER], branches=[other_branch]
    )
    client.force_login(stranger.user)
    assert client.post(redeem_url(order), post(voucher)).status_code == 404
    assert not VoucherUse.objects.exists()


def test_it_is_a_post_only(login, receptionist, voucher, order):
    assert login(receptionist).get(redeem_url(order)).status_code == 405


def test_a_manager_gives_a_use_back_on_the_order_page(login, manager, receptionist, voucher, order):
    use = services.redeem_voucher(order=order, code=voucher.voucher_code, staff=receptionist)
    give_back = reverse("selection:give_back_voucher", args=[use.pk])
    assert (
        'data-testid="give-back-voucher"'
        not in login(receptionist).get(order.get_absolute_url()).text
    )
    assert login(receptionist).post(give_back, {"reason": "Wrong order"}).status_code == 403
    client = login(manager)
    assert 'data-testid="give-back-voucher"' in client.get(order.get_absolute_url()).text
    response = client.post(give_back, {"reason": ""}, follow=True)
    assert "Say why the voucher&#x27;s use is given back." in response.text
    response = client.post(give_back, {"reason": "Wrong order"}, follow=True)
    assert "Given back" in response.text
    assert "¥300.00 given back (Wrong order)" in response.text
    assert Order.objects.get(pk=order.pk).balance_due == Decimal("6800.00")
    again = client.post(give_back, {"reason": "Wrong order"}, follow=True)
    assert "Already done: this use was given back." in again.text
    assert VoucherUse.objects.count() == 2


def test_giving_back_another_branchs_use_is_not_found(
    client, receptionist, voucher, order, other_branch
):
    use = services.redeem_voucher(order=order, code=voucher.voucher_code, staff=receptionist)
    client.force_login(StaffFactory(roles=[roles.MANAGER], branches=[other_branch]).user)
    url = reverse("selection:give_back_voucher", args=[use.pk])
    assert client.post(url, {"reason": "Wrong order"}).status_code == 404
    assert VoucherUse.objects.count() == 1


def test_the_compensation_page_shows_what_is_used_and_left(
    login, manager, receptionist, complaint, voucher, make_order
):
    services.redeem_voucher(
        order=make_order(), code=voucher.voucher_code, staff=receptionist, amount="120"
    )
    page = login(manager).get(reverse("selection:complaint_compensation", args=[complaint.pk]))
    assert "¥120.00 used, ¥180.00 left" in page.text
    assert "¥120.00 taken off order" in page.text
    listing = login(manager).get(reverse("selection:compensations"))
    assert "¥120.00 used, ¥180.00 left" in listing.text


def test_the_customer_file_shows_the_use(login, receptionist, voucher, order):
    services.redeem_voucher(order=order, code=voucher.voucher_code, staff=receptionist)
    page = login(receptionist).get(reverse("overview:customer", args=[order.customer_id]))
    assert f"Voucher {voucher.voucher_code} taken off order {order.number} by Li Na" in page.text


def test_the_pages_read_in_chinese(login, manager, receptionist, complaint, voucher, order):
    services.redeem_voucher(order=order, code=voucher.voucher_code, staff=receptionist)
    client = login(manager)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(order.get_absolute_url())
    assert "代金券" in page.text and "使用代金券" in page.text
    assert f"代金券 {voucher.voucher_code}：抵扣 ¥300.00" in page.text
    settle = client.get(reverse("selection:complaint_compensation", args=[complaint.pk]))
    assert "已用 ¥300.00" in settle.text or "已用完" in settle.text
    file = client.get(reverse("overview:customer", args=[order.customer_id]))
    assert f"代金券 {voucher.voucher_code}" in file.text
    refused = client.post(redeem_url(order), post(voucher, code="VSH1-NOPE2345"))
    assert "找不到编号为 VSH1-NOPE2345 的代金券" in refused.text


def test_the_order_page_keeps_a_fixed_number_of_queries_with_uses(
    login, receptionist, complaint, customer_service, manager, order,
    django_assert_max_num_queries,
):  # fmt: skip
    def give():
        proposed = services.propose_compensation(
            by=customer_service, complaint=complaint, kind="voucher", amount="10",
            expires_on=complaint.branch.today() + timedelta(days=30), reason="Late",
        )  # fmt: skip
        voucher = services.approve_compensation(compensation=proposed, by=manager)
        services.redeem_voucher(order=order, code=voucher.voucher_code, staff=receptionist)

    client = login(receptionist)
    give()
    with django_assert_max_num_queries(100) as one:
        client.get(order.get_absolute_url())
    for _n in range(5):
        give()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(order.get_absolute_url())
    assert page.text.count('data-testid="voucher-use"') == 6


def test_the_compensation_list_keeps_a_fixed_number_of_queries_with_uses(
    login, receptionist, complaint, customer_service, manager, make_order,
    django_assert_max_num_queries,
):  # fmt: skip
    def give():
        proposed = services.propose_compensation(
            by=customer_service, complaint=complaint, kind="voucher", amount="10",
            expires_on=complaint.branch.today() + timedelta(days=30), reason="Late",
        )  # fmt: skip
        voucher = services.approve_compensation(compensation=proposed, by=manager)
        for amount in ("4", "6"):
            services.redeem_voucher(
                order=make_order(), code=voucher.voucher_code, staff=receptionist, amount=amount
            )

    client = login(manager)
    give()
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("selection:compensations"))
    for _n in range(5):
        give()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("selection:compensations"))
    assert page.text.count('data-testid="voucher-use"') == 12
    assert page.text.count("Used up") == 6
