"""Store managers and head office hold their admin permissions for every model of the
studio's apps, models added after the roles' first migration included (studio.permissions,
applied after every migrate)."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse

from followups.models import SmsSignature
from shoots.models import Room
from studio import roles
from studio.permissions import ACTIONS, MANAGER_ONLY

OURS = sorted(
    (m for m in admin.site._registry if m._meta.app_label in settings.PROJECT_APPS),
    key=lambda m: m._meta.label,
)


def actions_of(role, model):
    codenames = set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label=model._meta.app_label)
        .values_list("codename", flat=True)
    )
    name = model._meta.model_name
    return {a for a in ACTIONS if f"{a}_{name}" in codenames}


@pytest.mark.parametrize("model", OURS, ids=[m._meta.label for m in OURS])
def test_each_model_has_the_policys_permissions(db, model):
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    assert actions_of(roles.MANAGER, model) == set(MANAGER_ONLY.get(label, ACTIONS))
    assert actions_of(roles.CHAIN_MANAGER, model) == set(ACTIONS)


def test_a_model_left_out_gets_them_back_on_the_next_migrate(db):
    managers = Group.objects.get(name=roles.MANAGER)
    managers.permissions.remove(*Permission.objects.filter(content_type__model="room"))
    assert actions_of(roles.MANAGER, Room) == set()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert actions_of(roles.MANAGER, Room) == set(ACTIONS)


def admin_user(staff):
    staff.user.is_staff = True  # managers and head office use the admin
    staff.user.save(update_fields=["is_staff"])
    return staff.user


def test_a_store_manager_keeps_their_rooms_in_the_admin(make_staff, branch, other_branch, client):
    """A room added after the roles' migration: a store manager lists and adds their
    branch's, and is refused another branch's."""
    client.force_login(admin_user(make_staff(roles.MANAGER)))
    assert client.get(reverse("admin:shoots_room_changelist")).status_code == 200
    add = reverse("admin:shoots_room_add")
    response = client.post(add, {"branch": branch.pk, "name": "Garden", "is_active": "on"})
    assert response.status_code == 302
    assert Room.objects.filter(branch=branch, name="Garden").exists()
    response = client.post(add, {"branch": other_branch.pk, "name": "Roof", "is_active": "on"})
    assert response.status_code == 200
    assert not Room.objects.filter(name="Roof").exists()


def test_what_head_office_keeps_stays_theirs(make_staff, branch, client):
    signature = SmsSignature.objects.create(branch=branch, sign_name="Studio")
    delete = reverse("admin:followups_smssignature_delete", args=[signature.pk])
    client.force_login(admin_user(make_staff(roles.MANAGER)))
    assert client.get(delete).status_code == 403
    client.force_login(admin_user(make_staff(roles.CHAIN_MANAGER)))
    assert client.get(delete).status_code == 200
