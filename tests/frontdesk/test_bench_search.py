"""The search benchmark fills a branch in bulk and times the search page's own selector."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from studio.models import Customer


def test_it_fills_the_branch_and_prints_median_and_p95(branch):
    out = StringIO()
    call_command("bench_search", branch=branch.code, count=300, searches=20, stdout=out)
    assert Customer.objects.filter(branch=branch).count() == 300
    assert "median" in out.getvalue() and "p95" in out.getvalue()
    call_command("bench_search", branch=branch.code, count=300, searches=20, stdout=StringIO())
    assert Customer.objects.filter(branch=branch).count() == 300  # never fills twice


def test_it_needs_a_known_branch(db):
    with pytest.raises(CommandError):
        call_command("bench_search", branch="nope", count=1, stdout=StringIO())
