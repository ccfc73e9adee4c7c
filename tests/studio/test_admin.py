"""Every admin list opens; money, logs and signed records can't be added or changed there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from orders.models import LedgerEntry
from pickup.models import LostSlipMemo
from studio.models import CustomerChange

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_every_admin_list_opens(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("model", [LedgerEntry, LostSlipMemo, CustomerChange])
def test_records_are_read_only_in_the_admin(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert admin_client.get(url).status_code == 403
