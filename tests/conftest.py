import os
from decimal import Decimal

import pytest
from django.db import connection

from orders import services as order_services
from studio import roles

from .factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "studio.postgresql":
        raise pytest.UsageError(
            "The tests run on PostgreSQL: set DATABASE_URL (make test does it for you)."
        )
    # Hashing test passwords slowly proves nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _flush_may_truncate_the_ledger()


def _flush_may_truncate_the_ledger():
    """Transactional tests empty the test database with TRUNCATE, which the ledger refuses
    (orders migration 0004) unless the session says otherwise: only this flush does."""
    from django.db import transaction
    from django.db.backends.postgresql.operations import DatabaseOperations

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cur:
            cur.execute("SET LOCAL studio.allow_truncate = 'on'")
            for sql in sql_list:
                cur.execute(sql)

    DatabaseOperations.execute_sql_flush = execute_sql_flush


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Files the tests upload (design proofs, the demo's layouts) never land in media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _no_language_carried_over():
    """A request in Chinese leaves its language active in the test's thread; the next test
    starts in the default language again."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _actions_land_where_the_actor_may_go(monkeypatch):
    """Every POST in the suite that answers with a redirect must send the actor to a page
    their roles may open: an action that worked must not end on "403" (issue 8). This runs
    for every action every test performs, as whichever role the test plays."""
    from django.test import Client

    from studio.access import may_open

    post = Client.post

    def checked_post(self, path, *args, **kwargs):
        response = post(self, path, *args, **kwargs)
        staff = getattr(getattr(response, "wsgi_request", None), "staff", None)
        if staff is None or "logout" in str(path):
            return response
        # With follow=True the first hop is in redirect_chain; otherwise in Location.
        chain = getattr(response, "redirect_chain", None)
        first = chain[0][0] if chain else ""
        if not chain and response.status_code in (301, 302):
            first = response.get("Location", "")
        # The Django admin answers for itself (its permissions and the branch scope).
        in_admin = str(path).startswith("/admin/") and first.startswith("/admin/")
        if first.startswith("/") and not in_admin:
            assert may_open(staff, first), (
                f"POST {path} as {sorted(staff.role_set)} redirects to {first}, "
                "a page those roles may not open"
            )
        return response

    monkeypatch.setattr(Client, "post", checked_post)


@pytest.fixture
def branch(db):
    return BranchFactory(code="sh1", name="Shanghai Jing'an")


@pytest.fixture
def other_branch(db):
    return BranchFactory(code="bj1", name="Beijing Chaoyang")


@pytest.fixture
def make_staff(db, branch):
    """make_staff("receptionist", "cashier", branch=...) -> Staff."""

    def make(*role_names, branch=branch, **kwargs):
        return StaffFactory(roles=role_names, branches=[branch], **kwargs)

    return make


@pytest.fixture
def receptionist(make_staff):
    return make_staff(roles.RECEPTIONIST, display_name="Li Na")


@pytest.fixture
def manager(make_staff):
    return make_staff(roles.MANAGER, display_name="Wang Fang")


@pytest.fixture
def photographer(make_staff):
    return make_staff(roles.PHOTOGRAPHER, display_name="Zhao Lei")


@pytest.fixture
def package(branch):
    return PackageFactory(name="Eternal Love", branches=[branch])


@pytest.fixture
def customer(branch, receptionist):
    return CustomerFactory(branch=branch, owner=receptionist)


@pytest.fixture
def make_order(customer, package, receptionist):
    def make(deposit=Decimal("2000"), **kwargs):
        kwargs.setdefault("customer", customer)
        kwargs.setdefault("package", package)
        return order_services.create_order(
            owner=receptionist,
            created_by=receptionist,
            deposit=deposit,
            deposit_method="wechat",
            **kwargs,
        )

    return make


@pytest.fixture
def order(make_order):
    return make_order()


@pytest.fixture
def login(client):
    """login(staff) -> the test client, logged in as that staff member."""

    def do(staff):
        client.force_login(staff.user)
        return client

    return do


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright: never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/ensure-services.sh installs it.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
