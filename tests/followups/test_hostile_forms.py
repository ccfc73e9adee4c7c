"""Hostile input on resolving a complaint (in the admin, through resolve_complaint):
never a 500; a refused resolution leaves the complaint open."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from hypothesis import given

from followups.models import Complaint
from followups.services import log_complaint
from tests.hostile import hostile_posts, hostile_settings, post_hostile

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_manager(client, manager):
    manager.user.is_staff = True
    manager.user.save(update_fields=["is_staff"])
    manager.user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="followups", codename__endswith="complaint"
        )
    )
    client.force_login(manager.user)
    return client


@hostile_settings
@given(post=hostile_posts(["resolution", "text", "owner", "resolved_at"]))
def test_resolving_a_complaint_never_fails_on_hostile_input(
    admin_manager, customer, receptionist, post
):
    complaint = log_complaint(customer=customer, text="Rude driver.", logged_by=receptionist)
    url = reverse("admin:followups_complaint_change", args=[complaint.pk])

    def state():
        return list(Complaint.objects.order_by("pk").values())

    response = post_hostile(admin_manager, url, post, state)
    assert response.status_code in (200, 302), response.status_code


def test_a_superuser_without_a_staff_file_resolves_a_complaint(
    client, customer, receptionist, django_user_model
):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-1")
    complaint = log_complaint(customer=customer, text="Rude driver.", logged_by=receptionist)
    client.force_login(root)
    url = reverse("admin:followups_complaint_change", args=[complaint.pk])
    response = client.post(url, {"resolution": "Free frame"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.resolution == "Free frame" and complaint.resolved_at is not None
    assert complaint.resolved_by is None
