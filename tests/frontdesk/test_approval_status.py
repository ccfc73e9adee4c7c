"""The signing page follows the manager's decision without a reload: the status fragment."""

import pytest
from django.urls import reverse

from studio import roles, services
from tests.factories import CustomerFactory


@pytest.fixture
def approval(customer, package, receptionist):
    return services.ask_discount_approval(
        customer=customer, package=package, discount="900", requested_by=receptionist
    )


def _url(approval, customer=None):
    return reverse("orders:approval_status", args=[(customer or approval.customer).pk, approval.pk])


def test_while_pending_it_says_so_and_polls_every_five_seconds(login, receptionist, approval):
    response = login(receptionist).get(_url(approval))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="pending"' in html
    assert 'hx-trigger="every 5s"' in html
    assert f'hx-get="{_url(approval)}"' in html


def test_once_approved_it_names_the_manager_and_stops_polling(
    login, receptionist, manager, approval
):
    services.decide_discount_approval(approval=approval, manager=manager, approve=True)
    response = login(receptionist).get(_url(approval))
    html = response.content.decode()
    assert 'data-status="approved"' in html
    assert "approved by Wang Fang" in html
    assert "hx-get" not in html


def test_a_refusal_is_shown(login, receptionist, manager, approval):
    services.decide_discount_approval(approval=approval, manager=manager, approve=False)
    response = login(receptionist).get(_url(approval))
    html = response.content.decode()
    assert 'data-status="refused"' in html and "refused by Wang Fang" in html
    assert "hx-get" not in html


def test_it_speaks_chinese(chinese, login, receptionist, approval):
    response = login(receptionist).get(_url(approval))
    assert "等待店长" in response.content.decode()


def test_the_signing_page_polls_after_asking(login, receptionist, customer, package):
    response = login(receptionist).post(
        reverse("orders:ask_approval", args=[customer.pk]),
        {
            "package": package.pk,
            "discount": "900",
            "deposit": "2000",
            "deposit_method": "cash",
            "request_key": "k",
        },
    )
    assert response.status_code == 200
    assert b'hx-trigger="every 5s"' in response.content


def test_an_approval_for_another_couple_is_not_found(login, receptionist, branch, approval):
    someone_else = CustomerFactory(branch=branch, owner=receptionist)
    assert login(receptionist).get(_url(approval, someone_else)).status_code == 404


def test_an_unknown_approval_is_not_found(login, receptionist, customer):
    url = reverse("orders:approval_status", args=[customer.pk, 999999])
    assert login(receptionist).get(url).status_code == 404


def test_it_rejects_post(login, receptionist, approval):
    assert login(receptionist).post(_url(approval)).status_code == 405


def test_roles_that_do_not_sign_may_not_see_it(login, make_staff, photographer, approval):
    assert login(photographer).get(_url(approval)).status_code == 403
    service = make_staff(roles.CUSTOMER_SERVICE)
    assert login(service).get(_url(approval)).status_code == 403


def test_another_branch_gets_not_found(login, other_receptionist, approval):
    assert login(other_receptionist).get(_url(approval)).status_code == 404
