"""`crispy_once`: a form marked `same_for_everyone` is rendered through crispy once per
language, and each page gets the same HTML with its own request key."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.utils import translation

from orders.forms import CardPaymentForm, FapiaoRequestForm, PaymentForm
from studio.templatetags.studio import crispy_once

KEY = re.compile(r'name="request_key" value="([0-9a-f]{32})"')


@pytest.mark.parametrize("form_class", [PaymentForm, CardPaymentForm, FapiaoRequestForm])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_copy_is_what_crispy_writes_with_the_forms_own_key(form_class, language):
    with translation.override(language):
        for _ in range(2):  # the second from the copy
            form = form_class()
            key = form["request_key"].value()
            html = str(crispy_once(form))
            assert KEY.findall(html) == [key]
            assert html == str(as_crispy_form(form))


def test_two_pages_get_two_keys():
    first, second = str(crispy_once(PaymentForm())), str(crispy_once(PaymentForm()))
    assert KEY.findall(first) != KEY.findall(second)


def test_each_language_has_its_own_copy():
    with translation.override("zh-hans"):
        chinese = str(crispy_once(PaymentForm()))
    with translation.override("en"):
        english = str(crispy_once(PaymentForm()))
    assert "金额" in chinese and "Amount" in english


def test_a_bound_form_shows_its_errors_and_values():
    form = PaymentForm({"kind": "balance", "method": "cash", "amount": "-5", "request_key": "k"})
    form.is_valid()
    html = str(crispy_once(form))
    assert "-5" in html and "is-invalid" in html


def test_a_form_with_initial_data_or_not_marked_is_rendered_fresh():
    html = str(crispy_once(PaymentForm(initial={"amount": "123.45"})))
    assert 'value="123.45"' in html


def test_ids_made_per_row_share_one_copy():
    from studio.templatetags.studio import _RENDERED_FORMS

    for pk in (77, 78, 79):
        form = PaymentForm(auto_id=f"id_pay{pk}_%s")
        html = str(crispy_once(form))
        assert html == str(as_crispy_form(form))
        assert f'id="id_pay{pk}_amount"' in html
        if pk == 77:
            kept = len(_RENDERED_FORMS)
    assert len(_RENDERED_FORMS) == kept


def test_other_ids_are_rendered_fresh():
    form = PaymentForm(auto_id="pay-%s")
    assert str(crispy_once(form)) == str(as_crispy_form(form))
