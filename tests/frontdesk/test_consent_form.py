"""The front desk records consent on the customer's file: the roles that see contact
details, in their branch, with bad input refused and the page in both languages."""

import pytest
from django.urls import reverse

from studio import roles
from studio.models import ConsentEvent

from ..factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _url(customer):
    return reverse("studio:customer_consent", args=[customer.pk])


GRANT_CARE = {
    "purpose": "care",
    "channels": ["sms", "wechat"],
    "granted": "yes",
    "source": "paper_form",
}


def test_the_receptionist_records_consent_and_the_file_shows_it(login, receptionist, customer):
    client = login(receptionist)
    response = client.post(_url(customer), GRANT_CARE)
    assert response.status_code == 302
    assert response["Location"] == reverse("studio:customer_edit", args=[customer.pk])
    events = list(customer.consent_events.order_by("channel"))
    assert [(e.purpose, e.channel, e.granted, e.source, e.recorded_by) for e in events] == [
        ("care", "sms", True, "paper_form", receptionist),
        ("care", "wechat", True, "paper_form", receptionist),
    ]
    page = client.get(reverse("overview:customer", args=[customer.pk])).content.decode()
    assert 'data-testid="consent-care-sms"' in page and "✓" in page
    assert "Signed paper form" in page and "Li Na" in page
    client.post(_url(customer), {**GRANT_CARE, "channels": ["sms"], "granted": "no"})
    edit = client.get(reverse("studio:customer_edit", args=[customer.pk])).content.decode()
    assert "withdrew consent to Greetings" in edit and "✗" in edit


def test_the_pages_show_consent_in_chinese(login, receptionist, customer):
    client = login(receptionist)
    client.post(_url(customer), GRANT_CARE)
    client.cookies["django_language"] = "zh-hans"
    for url in (
        reverse("studio:customer_edit", args=[customer.pk]),
        reverse("overview:customer", args=[customer.pk]),
    ):
        page = client.get(url).content.decode()
        assert "问候" in page and "纸质" in page, url


@pytest.mark.parametrize(
    "bad",
    [
        {"channels": []},
        {"channels": ["fax"]},
        {"purpose": "spam"},
        {"granted": "maybe"},
        {"source": "migrated"},  # the migration's, not the desk's
        {"source": "erasure"},
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(login, receptionist, customer, bad):
    response = login(receptionist).post(_url(customer), {**GRANT_CARE, **bad})
    assert response.status_code == 400
    assert 'data-testid="consent-form"' in response.content.decode()
    assert not ConsentEvent.objects.exists()


def test_the_form_says_when_no_channel_is_ticked(login, receptionist, customer):
    response = login(receptionist).post(_url(customer), {**GRANT_CARE, "channels": []})
    assert "Tick at least one channel." in response.content.decode()


def test_a_get_is_refused(login, receptionist, customer):
    assert login(receptionist).get(_url(customer)).status_code == 405


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - roles.CALLS_CUSTOMERS))
def test_every_role_that_does_not_see_contacts_is_refused(login, make_staff, customer, role):
    response = login(make_staff(role)).post(_url(customer), GRANT_CARE)
    assert response.status_code in (403, 404)
    assert not ConsentEvent.objects.exists()


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - roles.CALLS_CUSTOMERS))
def test_the_file_shows_no_consent_to_roles_that_do_not_see_contacts(
    login, make_staff, customer, role
):
    response = login(make_staff(role)).get(reverse("overview:customer", args=[customer.pk]))
    assert 'data-testid="consent"' not in response.content.decode()


def test_another_branchs_customer_is_not_found(login, receptionist, other_branch):
    stranger = CustomerFactory(branch=other_branch)
    assert login(receptionist).post(_url(stranger), GRANT_CARE).status_code == 404
    assert not ConsentEvent.objects.exists()


def test_an_erased_customer_takes_no_new_consent(login, receptionist, manager, customer):
    from studio.services import erase_customer

    erase_customer(customer=customer, by=manager, typed_name=str(customer))
    response = login(receptionist).post(_url(customer), GRANT_CARE)
    assert response.status_code == 400
    assert "was erased" in response.content.decode()
    assert not ConsentEvent.objects.filter(granted=True).exists()
