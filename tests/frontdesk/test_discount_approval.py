"""A discount beyond the limit approved by a manager from their own device."""

from django.urls import reverse

from orders.models import Order
from studio import roles
from studio.models import DiscountApproval
from tests.factories import CustomerFactory


def _sign_data(package, **extra):
    data = {
        "package": package.pk,
        "discount": "900",
        "deposit": "2000",
        "deposit_method": "cash",
        "request_key": "approval-key",
    }
    data.update(extra)
    return data


def _ask(client, customer, package):
    return client.post(reverse("orders:ask_approval", args=[customer.pk]), _sign_data(package))


def test_the_manager_approves_from_their_device_and_the_order_records_it(
    client, login, receptionist, manager, customer, package
):
    response = _ask(login(receptionist), customer, package)
    assert response.status_code == 200
    approval = DiscountApproval.objects.get()
    assert response.context["form"]["approval"].value() == approval.pk
    assert not Order.objects.exists()

    home = login(manager).get(reverse("home"))
    assert b'data-testid="approvals"' in home.content
    decided = client.post(
        reverse("studio:decide_discount", args=[approval.pk]), {"decision": "approve"}
    )
    assert decided.status_code == 302

    client.force_login(receptionist.user)
    signed = client.post(
        reverse("orders:sign", args=[customer.pk]), _sign_data(package, approval=approval.pk)
    )
    assert signed.status_code == 302
    assert Order.objects.get().discount_approved_by == manager


def test_a_pending_or_refused_approval_does_not_sign(
    client, login, receptionist, manager, customer, package
):
    _ask(login(receptionist), customer, package)
    approval = DiscountApproval.objects.get()
    url = reverse("orders:sign", args=[customer.pk])
    pending = client.post(url, _sign_data(package, approval=approval.pk))
    assert pending.status_code == 400
    assert "discount" in pending.context["form"].errors
    login(manager).post(
        reverse("studio:decide_discount", args=[approval.pk]), {"decision": "refuse"}
    )
    client.force_login(receptionist.user)
    refused = client.post(url, _sign_data(package, approval=approval.pk))
    assert refused.status_code == 400
    assert not Order.objects.exists()


def test_an_approval_covers_only_its_couple_and_up_to_its_amount(
    client, login, receptionist, manager, customer, package, branch
):
    _ask(login(receptionist), customer, package)
    approval = DiscountApproval.objects.get()
    login(manager).post(
        reverse("studio:decide_discount", args=[approval.pk]), {"decision": "approve"}
    )
    client.force_login(receptionist.user)
    more = client.post(
        reverse("orders:sign", args=[customer.pk]),
        _sign_data(package, discount="1000", approval=approval.pk),
    )
    assert more.status_code == 400
    someone_else = CustomerFactory(branch=branch, owner=receptionist)
    other = client.post(
        reverse("orders:sign", args=[someone_else.pk]), _sign_data(package, approval=approval.pk)
    )
    assert other.status_code == 400
    assert not Order.objects.exists()


def test_a_price_below_the_floor_cannot_even_be_asked(login, receptionist, customer, package):
    response = login(receptionist).post(
        reverse("orders:ask_approval", args=[customer.pk]),
        _sign_data(package, discount="5000"),
    )
    assert response.status_code == 400
    assert "discount" in response.context["form"].errors
    assert not DiscountApproval.objects.exists()


def test_only_managers_decide(login, receptionist, customer, package):
    _ask(login(receptionist), customer, package)
    approval = DiscountApproval.objects.get()
    url = reverse("studio:decide_discount", args=[approval.pk])
    assert login(receptionist).post(url, {"decision": "approve"}).status_code == 403
    assert DiscountApproval.objects.get().status == "pending"


def test_deciding_rejects_get(login, manager, receptionist, customer, package):
    _ask(login(receptionist), customer, package)
    approval = DiscountApproval.objects.get()
    assert (
        login(manager).get(reverse("studio:decide_discount", args=[approval.pk])).status_code == 405
    )


def test_another_branchs_manager_cannot_decide(
    login, make_staff, other_branch, receptionist, customer, package
):
    _ask(login(receptionist), customer, package)
    approval = DiscountApproval.objects.get()
    boss = make_staff(roles.MANAGER, branch=other_branch)
    url = reverse("studio:decide_discount", args=[approval.pk])
    assert login(boss).post(url, {"decision": "approve"}).status_code == 404
    assert DiscountApproval.objects.get().status == "pending"
