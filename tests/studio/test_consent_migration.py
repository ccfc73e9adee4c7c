"""The old yes/no becomes consent records (studio 0024) and comes back when migrating
backwards. Transactional (the migrations run DDL); it leaves the database migrated."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("studio", "0024_consent_records_and_data_requests")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return state.apps


@pytest.fixture
def back_at_the_end():
    yield
    _migrate()


def test_a_yes_becomes_grants_for_both_purposes_and_a_no_nothing(back_at_the_end):
    apps = _migrate(BEFORE)
    Branch = apps.get_model("studio", "Branch")
    Customer = apps.get_model("studio", "Customer")
    branch = Branch.objects.create(code="mig", name="Migration branch")
    yes = Customer.objects.create(
        branch=branch, bride_name="Yes", bride_phone="13800000001", marketing_consent=True
    )
    no = Customer.objects.create(
        branch=branch, bride_name="No", bride_phone="13800000002", marketing_consent=False
    )
    apps = _migrate()
    ConsentEvent = apps.get_model("studio", "ConsentEvent")
    granted = set(
        ConsentEvent.objects.filter(customer_id=yes.pk).values_list(
            "purpose", "channel", "granted", "source"
        )
    )
    assert granted == {
        (p, c, True, "migrated") for p in ("marketing", "care") for c in ("sms", "wechat", "letter")
    }
    assert not ConsentEvent.objects.filter(customer_id=no.pk).exists()
    apps = _migrate(BEFORE)
    Customer = apps.get_model("studio", "Customer")
    assert Customer.objects.get(pk=yes.pk).marketing_consent is True
    assert Customer.objects.get(pk=no.pk).marketing_consent is False
