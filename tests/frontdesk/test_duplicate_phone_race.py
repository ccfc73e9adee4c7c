"""Two desks filing the same new phone at the same instant file one couple, not two."""

import pytest
from django.db import connection

from studio import roles, services
from studio.models import Customer, Visit
from tests.factories import BranchFactory, StaffFactory
from tests.races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def _file(branch, by, name, phone):
    return lambda: services.register_visit(
        branch=branch,
        registered_by=by,
        new_customer={
            "bride_name": name,
            "bride_phone": phone,
            "groom_name": "",
            "groom_phone": "",
        },
    )


def test_the_same_new_phone_at_the_same_instant_files_one_couple():
    assert connection.vendor == "postgresql"
    branch = BranchFactory(code="dup", name="Race branch")
    desks = [StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch]) for _ in range(2)]
    results = run_together(
        _file(branch, desks[0], "Zhou Xin", "13900001111"),
        # The other desk types it with spaces: the same number.
        _file(branch, desks[1], "Zhou Xin", "139 0000 1111"),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.DuplicateCustomer)
    assert error.existing == Customer.objects.get()
    assert Visit.objects.count() == 1


def test_different_phones_at_the_same_instant_file_two_couples():
    branch = BranchFactory(code="dup2", name="Race branch 2")
    desks = [StaffFactory(roles=[roles.RECEPTIONIST], branches=[branch]) for _ in range(2)]
    results = run_together(
        _file(branch, desks[0], "Zhou Xin", "13900001111"),
        _file(branch, desks[1], "Wu Qian", "13900002222"),
    )
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert Customer.objects.count() == 2
