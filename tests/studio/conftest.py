"""What the month report's tests share: two branches whose clocks differ (a month's
midnight is a different moment at each), a package sold at both, people who work at both,
and the calendar helpers that read a moment on a branch's own calendar."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PackageFactory


def next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def midnight(day, branch):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=branch.tzinfo)


def local_day(branch, moment):
    return timezone.localtime(moment, branch.tzinfo).date()


@dataclass
class TwoClocks:
    branches: list[Any]
    package: Any
    make_staff: Any

    def staff_of_both(self, *role_names, display_name):
        """Someone who works at both branches (a manager, a receptionist who covers)."""
        person = self.make_staff(*role_names, branch=self.branches[0], display_name=display_name)
        person.branches.add(self.branches[1])
        return person


@pytest.fixture
def two_clocks(branch, other_branch, make_staff):
    """The branch on Shanghai's clock and the other on Los Angeles's, which moves its clocks
    on 8 March 2026, with the "Eternal Love" package sold at both."""
    other_branch.timezone = "America/Los_Angeles"
    other_branch.save()
    package = PackageFactory(name="Eternal Love", branches=[branch, other_branch])
    return TwoClocks(branches=[branch, other_branch], package=package, make_staff=make_staff)
