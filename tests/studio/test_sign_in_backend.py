"""A signed-in request reads its user with the staff member, roles and branches in one
prepared statement (studio.backends.StaffBackend, studio.prepared.planned_once); a session
from before the backend still works; an inactive user or staff member is refused."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studio import roles
from studio.models import Staff

pytestmark = pytest.mark.django_db

OLD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _reads(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def test_a_page_reads_the_user_and_their_staff_member_in_one_query(client, make_staff):
    staff = make_staff(roles.RECEPTIONIST)
    client.force_login(staff.user)
    response, sql = _reads(client, reverse("studio:customer_search"))
    assert response.status_code == 200
    about_the_user = [s for s in sql if '"auth_user"' in s or '"studio_staff"' in s]
    assert len(about_the_user) == 1, about_the_user
    assert response.wsgi_request.staff.pk == staff.pk


def test_a_session_signed_in_before_the_backend_still_works(client, make_staff):
    staff = make_staff(roles.RECEPTIONIST)
    client.force_login(staff.user, backend=OLD_BACKEND)
    response = client.get(reverse("studio:customer_search"))
    assert response.status_code == 200
    assert response.wsgi_request.staff.pk == staff.pk


@pytest.mark.parametrize("backend", [None, OLD_BACKEND])
def test_a_deactivated_user_or_staff_member_is_signed_out_or_refused(client, make_staff, backend):
    staff = make_staff(roles.RECEPTIONIST)
    client.force_login(staff.user, backend=backend)
    url = reverse("studio:customer_search")
    Staff.objects.filter(pk=staff.pk).update(is_active=False)
    assert client.get(url).status_code == 403
    Staff.objects.filter(pk=staff.pk).update(is_active=True)
    assert client.get(url).status_code == 200
    User.objects.filter(pk=staff.user_id).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_reads_of_every_request_are_prepared_on_the_connection(client, make_staff):
    staff = make_staff(roles.RECEPTIONIST)
    client.force_login(staff.user)
    before = len(_prepared())
    client.get(reverse("studio:customer_search"))
    client.get(reverse("studio:customer_search"))
    statements = _prepared()
    signed_in = [s for s in statements if '"auth_user"' in s and '"studio_staff"' in s]
    assert len(signed_in) == 1  # prepared once, run again
    assert len(statements) == before + 1


def test_nothing_is_prepared_when_the_setting_says_not_to(client, make_staff, settings):
    settings.DB_PREPARED_STATEMENTS = False
    staff = make_staff(roles.RECEPTIONIST)
    client.force_login(staff.user)
    before = _prepared()
    assert client.get(reverse("studio:customer_search")).status_code == 200
    assert _prepared() == before
