"""Registering a walk-in: find or file the couple, assign the taker, no duplicate files."""

from django.urls import reverse

from studio import roles
from studio.models import Customer, Visit
from tests.factories import CustomerFactory

URL = reverse("studio:visit_new")


def _new_couple(**extra):
    data = {
        "bride_name": "Zhou Xin",
        "bride_phone": "13900001111",
        "groom_name": "Liu Yang",
        "groom_phone": "",
        "kind": "walk_in",
        "source": "walk_by",
        "reason": "Saw the window display",
    }
    data.update(extra)
    return data


def test_it_shows_the_form(login, receptionist):
    response = login(receptionist).get(URL)
    assert response.status_code == 200
    assert b'data-testid="customer-search"' in response.content


def test_it_files_a_new_couple_and_opens_the_consultation(login, receptionist, rota, takers):
    response = login(receptionist).post(URL, _new_couple())
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("studio:visit", args=[visit.pk])
    assert visit.taker == takers[0]
    assert visit.customer.owner == takers[0]
    assert visit.customer.bride_phone == "13900001111"
    assert visit.reason == "Saw the window display"


def test_it_files_the_language_of_their_documents(login, receptionist, rota, takers):
    login(receptionist).post(URL, _new_couple(language="en"))
    assert Customer.objects.get().language == "en"


def test_documents_are_in_chinese_unless_chosen(login, receptionist, rota, takers):
    login(receptionist).post(URL, _new_couple())
    assert Customer.objects.get().language == "zh-hans"


def test_it_registers_a_visit_for_a_couple_on_file(login, receptionist, customer):
    response = login(receptionist).post(
        URL, {"customer": customer.pk, "kind": "phone", "source": "online"}
    )
    assert response.status_code == 302
    assert Customer.objects.count() == 1
    assert Visit.objects.get().customer == customer


def test_it_records_who_referred_them(login, receptionist, customer):
    response = login(receptionist).post(
        URL, _new_couple(source="referral", referrer_phone=customer.bride_phone)
    )
    assert response.status_code == 302
    filed = Customer.objects.exclude(pk=customer.pk).get()
    assert filed.referrer == customer
    assert Visit.objects.get().referrer == customer


def test_it_offers_the_file_on_record_for_a_phone_already_on_file(login, receptionist, customer):
    response = login(receptionist).post(URL, _new_couple(groom_phone=customer.groom_phone))
    assert response.status_code == 400
    assert b'data-testid="duplicate"' in response.content
    assert reverse("overview:customer", args=[customer.pk]).encode() in response.content
    assert Customer.objects.count() == 1
    assert not Visit.objects.exists()


def test_it_needs_a_name_and_a_phone(login, receptionist):
    response = login(receptionist).post(
        URL, _new_couple(bride_name="", groom_name="", bride_phone="")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "bride_name" in form.errors and "bride_phone" in form.errors
    assert not Customer.objects.exists()


def test_it_refuses_a_phone_with_letters(login, receptionist):
    response = login(receptionist).post(URL, _new_couple(bride_phone="call me"))
    assert response.status_code == 400
    assert "bride_phone" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_it_refuses_an_unknown_referrer(login, receptionist):
    response = login(receptionist).post(URL, _new_couple(source="referral", referrer_phone="10000"))
    assert response.status_code == 400
    assert "referrer_phone" in response.context["form"].errors


def test_it_rejects_put(login, receptionist):
    assert login(receptionist).put(URL).status_code == 405


def test_field_roles_may_not_register_visits(login, photographer):
    assert login(photographer).get(URL).status_code == 403
    assert login(photographer).post(URL, _new_couple()).status_code == 403


def test_a_couple_of_another_branch_cannot_be_picked(login, receptionist, other_branch):
    stranger = CustomerFactory(branch=other_branch)
    response = login(receptionist).post(
        URL, {"customer": stranger.pk, "kind": "walk_in", "source": "walk_by"}
    )
    assert response.status_code == 400
    assert "customer" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_it_needs_a_staff_profile(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_manager_may_register_too(make_staff, login):
    boss = make_staff(roles.MANAGER)
    assert login(boss).get(URL).status_code == 200
