"""The benchmark's database is its own: never the development or the test database."""

import pytest

from bench import database


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/studio")
    monkeypatch.delenv("BENCH_DB", raising=False)


def test_it_sits_next_to_the_database_of_database_url(server):
    url, name = database.urls()
    assert name == "studio_bench_chain"
    assert url == "postgres://postgres@127.0.0.1:5432/studio_bench_chain"


@pytest.mark.parametrize("name", ["studio", "studio_chain", "test_studio_bench"])
def test_it_refuses_a_database_that_is_not_a_bench_one(server, name):
    with pytest.raises(database.Refused):
        database.urls(name)


def test_it_refuses_the_database_of_database_url_itself(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/studio_bench")
    with pytest.raises(database.Refused):
        database.urls("studio_bench")
