"""The customer's contact details and preferences, edited on their file and recorded."""

from datetime import date

import pytest
from django.urls import reverse

from studio import roles
from studio.models import Customer, CustomerChange
from studio.selectors import customer_changes
from studio.services import update_customer

from ..factories import CustomerFactory


def _url(customer):
    return reverse("studio:customer_edit", args=[customer.pk])


def _data(customer, **changes):
    data = {
        "bride_name": customer.bride_name,
        "bride_phone": customer.bride_phone,
        "groom_name": customer.groom_name,
        "groom_phone": customer.groom_phone,
        "wechat": customer.wechat,
        "address": customer.address,
        "notes": customer.notes,
        "language": customer.language,
    }
    data.update(changes)
    return data


def test_the_receptionist_changes_the_language_and_the_change_is_recorded(
    login, receptionist, customer
):
    customer.language = "zh-hans"
    customer.save()
    client = login(receptionist)
    assert client.get(_url(customer)).status_code == 200
    response = client.post(_url(customer), _data(customer, language="en", wechat="wx_new"))
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.language == "en"
    assert customer.wechat == "wx_new"
    latest, before = customer.history.all()[:2]
    assert latest.history_user == receptionist.user
    delta = latest.diff_against(before)
    assert {c.field: (c.old, c.new) for c in delta.changes} == {
        "language": ("zh-hans", "en"),
        "wechat": (before.wechat, "wx_new"),
    }


def test_the_file_links_to_the_edit_form_and_shows_the_language(login, receptionist, customer):
    response = login(receptionist).get(reverse("overview:customer", args=[customer.pk]))
    assert _url(customer) in response.content.decode()
    assert "Planning document and receipts in" in response.content.decode()


def test_saving_without_changes_records_nothing(login, receptionist, customer):
    response = login(receptionist).post(_url(customer), _data(customer))
    assert response.status_code == 302
    assert customer.history.count() == 1


def test_a_phone_on_another_couples_file_is_refused_at_the_field(
    login, receptionist, customer, branch
):
    other = CustomerFactory(branch=branch, bride_phone="13911112222")
    response = login(receptionist).post(
        _url(customer), _data(customer, groom_phone="139 1111 2222", language="en")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "already on file for" in errors["groom_phone"][0]
    assert str(other) in errors["groom_phone"][0]
    customer.refresh_from_db()
    assert customer.groom_phone != "13911112222"
    assert customer.history.count() == 1


def test_a_file_without_a_name_or_phone_is_refused(login, receptionist, customer):
    response = login(receptionist).post(
        _url(customer),
        _data(customer, bride_name="", groom_name="", bride_phone="", groom_phone=""),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["bride_phone"]
    assert response.context["form"].errors["bride_name"]
    assert customer.history.count() == 1


def test_a_field_role_may_not_edit(login, photographer, customer):
    client = login(photographer)
    assert client.get(_url(customer)).status_code == 403
    assert client.post(_url(customer), _data(customer, language="en")).status_code == 403
    response = client.get(reverse("overview:customer", args=[customer.pk]))
    assert _url(customer) not in response.content.decode()


def test_another_branchs_customer_is_not_found(login, make_staff, other_branch, customer):
    elsewhere = make_staff(roles.RECEPTIONIST, branch=other_branch)
    client = login(elsewhere)
    assert client.get(_url(customer)).status_code == 404
    assert client.post(_url(customer), _data(customer, language="en")).status_code == 404
    assert Customer.objects.get(pk=customer.pk).language == customer.language


def test_the_edit_page_refuses_put(login, receptionist, customer):
    assert login(receptionist).put(_url(customer)).status_code == 405


def test_the_edit_page_renders_in_chinese(login, receptionist, customer):
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(_url(customer))
    assert response.status_code == 200
    assert "修改联系方式" in response.content.decode()


def test_the_service_records_each_field_with_old_and_new(receptionist, customer):
    old_phone = customer.bride_phone
    update_customer(
        customer=customer,
        by=receptionist,
        bride_phone="138 0000 9999",
        wedding_date=date(2027, 5, 20),
    )
    rows = {c.field: (c.old, c.new) for c in customer_changes(customer)}
    assert rows["bride's phone"] == (old_phone, "13800009999")
    assert rows["wedding date"][0] == "—"
    assert all(c.by == receptionist for c in customer_changes(customer))


def test_the_file_shows_the_trail_in_both_languages(login, receptionist, customer):
    update_customer(customer=customer, by=receptionist, language="en")
    client = login(receptionist)
    page = client.get(reverse("overview:customer", args=[customer.pk])).content.decode()
    assert f"{receptionist} changed language for printed documents: " in page
    assert "Simplified Chinese → English" in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("overview:customer", args=[customer.pk])).content.decode()
    assert "修改了" in page and "简体中文 → 英语" in page


def test_an_edit_in_the_admin_leaves_the_same_trail(client, make_staff, customer):
    from studio import roles as r

    chief = make_staff(r.CHAIN_MANAGER)
    chief.user.is_staff = True
    chief.user.save()
    client.force_login(chief.user)
    url = reverse("admin:studio_customer_change", args=[customer.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        branch=customer.branch_id,
        wechat="wx_admin",
        created_at_0=customer.created_at.date().isoformat(),
        created_at_1="10:00",
    )
    data.pop("created_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    (change,) = [c for c in customer_changes(customer) if c.field == "WeChat"]
    assert (change.by, change.new) == (chief, "wx_admin")


def test_changes_recorded_before_the_history_are_still_shown(receptionist, customer):
    CustomerChange.objects.create(
        customer=customer, staff=receptionist, field="wechat", old="old_wx", new="new_wx"
    )
    (change,) = customer_changes(customer)
    assert (change.field, change.old, change.new, change.by) == (
        "WeChat",
        "old_wx",
        "new_wx",
        receptionist,
    )


def test_the_service_refuses_fields_it_does_not_edit(receptionist, customer):
    with pytest.raises(ValueError):
        update_customer(customer=customer, by=receptionist, membership_level="diamond")
