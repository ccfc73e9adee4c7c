"""As-you-type search: either phone or a name; masked for roles that don't call."""

from django.urls import reverse

from studio import roles
from tests.factories import CustomerFactory

URL = reverse("studio:customer_search")


def test_it_finds_a_couple_by_either_phone(login, receptionist, customer):
    client = login(receptionist)
    for phone in (customer.bride_phone, customer.groom_phone[:6]):
        response = client.get(URL, {"q": phone})
        assert list(response.context["results"]) == [customer]


def test_it_finds_a_couple_by_part_of_a_name(login, receptionist, branch):
    couple = CustomerFactory(branch=branch, bride_name="王芳芳", groom_name="Li Ming")
    CustomerFactory(branch=branch, bride_name="Other", groom_name="Person")
    client = login(receptionist)
    assert list(client.get(URL, {"q": "王芳"}).context["results"]) == [couple]
    assert list(client.get(URL, {"q": "ming"}).context["results"]) == [couple]
    assert list(client.get(URL, {"q": "芳芳"}).context["results"]) == []  # short: from the start


def test_it_shows_phones_to_roles_that_call(login, receptionist, customer):
    response = login(receptionist).get(URL, {"q": customer.bride_phone})
    assert customer.bride_phone.encode() in response.content


def test_it_masks_phones_for_roles_that_do_not_call(login, make_staff, customer):
    cashier = make_staff(roles.CASHIER)
    response = login(cashier).get(URL, {"q": customer.bride_phone})
    assert customer.bride_phone.encode() not in response.content
    assert b"****" in response.content


def test_short_or_empty_input_finds_nothing(login, receptionist, customer):
    client = login(receptionist)
    assert list(client.get(URL, {"q": ""}).context["results"]) == []
    assert list(client.get(URL, {"q": "13"}).context["results"]) == []


def test_it_never_finds_another_branchs_couples(login, receptionist, other_branch):
    stranger = CustomerFactory(branch=other_branch, bride_phone="15800009999")
    response = login(receptionist).get(URL, {"q": stranger.bride_phone})
    assert list(response.context["results"]) == []


def test_it_rejects_post(login, receptionist):
    assert login(receptionist).post(URL, {"q": "138"}).status_code == 405


def test_field_roles_may_not_search(login, photographer):
    assert login(photographer).get(URL, {"q": "138"}).status_code == 403


def test_its_query_count_is_fixed(login, receptionist, branch, django_assert_max_num_queries):
    for n in range(15):
        CustomerFactory(branch=branch, bride_phone=f"1355555{n:04d}")
    client = login(receptionist)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"q": "1355555"})
    assert len(response.context["results"]) == 10
