"""In the admin, a customer's phone already on another couple's file is refused at its
field, as on the app's own edit page (studio.services.phones_on_other_files)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from studio.models import Customer
from tests.factories import CustomerFactory

TAKEN = "13911112222"


@pytest.fixture
def admin_client(client, manager):
    manager.user.is_staff = True
    manager.user.save(update_fields=["is_staff"])
    manager.user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="studio", codename__endswith="customer")
    )
    client.force_login(manager.user)
    return client


@pytest.fixture
def couples(branch, receptionist):
    other = CustomerFactory(branch=branch, owner=receptionist, bride_phone=TAKEN)
    mine = CustomerFactory(
        branch=branch, owner=receptionist, bride_phone="13800001111", groom_phone=""
    )
    return mine, other


def _data(customer, **changes):
    data = {
        "branch": customer.branch_id,
        "owner": customer.owner_id,
        "bride_name": customer.bride_name,
        "groom_name": customer.groom_name,
        "bride_phone": customer.bride_phone,
        "groom_phone": customer.groom_phone,
        "source": customer.source,
        "membership_level": customer.membership_level,
        "language": customer.language,
        "created_at_0": customer.created_at.date().isoformat(),
        "created_at_1": "10:00:00",
    }
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def _change(client, customer, **changes):
    url = reverse("admin:studio_customer_change", args=[customer.pk])
    return client.post(url, _data(customer, **changes))


@pytest.mark.parametrize(
    ("field", "typed"), [("bride_phone", TAKEN), ("groom_phone", "+86 139-1111-2222")]
)
def test_a_phone_on_another_couples_file_is_refused_at_its_field(
    admin_client, couples, field, typed
):
    mine, other = couples
    response = _change(admin_client, mine, **{field: typed})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "already on file" in " ".join(errors[field]), errors
    mine.refresh_from_db()
    assert TAKEN not in mine.phones


def test_a_new_couple_in_the_admin_with_a_taken_phone_is_refused(admin_client, couples, branch):
    mine, _other = couples
    data = _data(mine, bride_name="Someone Else", bride_phone=TAKEN)
    response = admin_client.post(reverse("admin:studio_customer_add"), data)
    assert response.status_code == 200
    assert "bride_phone" in response.context["adminform"].form.errors
    assert Customer.objects.filter(bride_phone=TAKEN).count() == 1


def test_a_free_phone_and_an_unchanged_one_are_saved(admin_client, couples):
    mine, _other = couples
    response = _change(admin_client, mine, groom_phone="13700003333", groom_name="Zhang Wei")
    assert response.status_code == 302, response.context["adminform"].form.errors
    mine.refresh_from_db()
    assert mine.groom_phone == "13700003333"
    assert mine.bride_phone == "13800001111"
