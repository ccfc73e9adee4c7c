"""The admin of care rules and message templates (issue 12, item 6): a store manager
reads and changes only their branch's own rows, never the chain's nor another branch's;
head office changes the chain's."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from followups.models import CareRule, MessageTemplate
from studio import roles


def _admin_user(staff):
    """Every permission of the followups app, as the roles' migrations grant them: only the
    branch scope can refuse."""
    staff.user.is_staff = True
    staff.user.save()
    staff.user.user_permissions.set(Permission.objects.filter(content_type__app_label="followups"))
    return staff


@pytest.fixture
def store_manager(make_staff):
    return _admin_user(make_staff(roles.MANAGER))


@pytest.fixture
def head_office(make_staff):
    return _admin_user(make_staff(roles.CHAIN_MANAGER))


def _add(client, **data):
    fields = {"key": "deposit_thanks", "language": "zh-hans", "channel": "sms", "gender": ""}
    fields |= {"purpose": "service"}
    fields |= {"body": "【{store}】{couple}您好，本店专属", "is_active": "on"}
    return client.post(reverse("admin:followups_messagetemplate_add"), fields | data)


def test_a_store_manager_adds_their_branchs_own_text(login, store_manager, branch):
    response = _add(login(store_manager), branch=branch.pk)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MessageTemplate.objects.filter(key="deposit_thanks", branch=branch).exists()


@pytest.mark.parametrize("where", ["other", "chain"])
def test_a_store_manager_saves_no_text_for_another_branch_or_the_chain(
    login, store_manager, other_branch, where
):
    response = _add(login(store_manager), branch=other_branch.pk if where == "other" else "")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not MessageTemplate.objects.filter(body__contains="本店专属").exists()


@pytest.mark.parametrize("model", [MessageTemplate, CareRule])
def test_a_store_manager_neither_lists_nor_opens_the_chains_rows(login, store_manager, model):
    client = login(store_manager)
    chain_row = model.objects.filter(branch__isnull=True).first()
    name = model._meta.model_name
    listing = client.get(reverse(f"admin:followups_{name}_changelist"))
    assert listing.status_code == 200
    change = reverse(f"admin:followups_{name}_change", args=[chain_row.pk])
    assert change not in listing.content.decode()
    assert client.get(change).status_code == 302  # "not found", back to the admin
    is_active = chain_row.is_active
    client.post(change, {"is_active": "" if is_active else "on"})
    chain_row.refresh_from_db()
    assert chain_row.is_active == is_active


def test_head_office_changes_the_chains_text(login, head_office):
    template = MessageTemplate.objects.get(
        key="deposit_thanks", language="zh-hans", gender="", branch__isnull=True
    )
    client = login(head_office)
    change = reverse("admin:followups_messagetemplate_change", args=[template.pk])
    assert client.get(change).status_code == 200
    data = {
        "key": template.key, "language": template.language, "channel": template.channel,
        "gender": "", "branch": "", "body": "【{store}】{couple}您好，总部新版", "is_active": "on",
        "purpose": template.purpose,
    }  # fmt: skip
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    template.refresh_from_db()
    assert "总部新版" in template.body and template.branch is None
