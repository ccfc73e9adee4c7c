"""Hostile input for the property-based form tests (issue 7): what an attacker, a
confused browser or a full-width keyboard posts into a form. Every form page must answer
it with the form and its errors, or do what was asked: never a 500, never a database
error, and nothing saved when the form is refused."""

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SAMPLES = [
    "",
    " ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '=HYPERLINK("http://x")',
    "\x00",
    "😀💍",
    "１３８００１３８０００",
    "+86 138-0013-8000",
    "13800138000",
    "123",
    "3101**********1234",
    "110101199001011237",
    "110101199001011230",
    "E12345678",
    "-1",
    "0",
    "0.001",
    "1e309",
    "NaN",
    "Infinity",
    "99999999.99",
    "999999999999999999999999",
    "200000.01",
    "1280.00",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "1899-12-31",
    "9999-12",
    "25:61",
    "k" * 65,
    "k" * 1000,
    "长" * 250,
    "9" * 40,
]

hostile_value = st.one_of(
    st.sampled_from(SAMPLES),
    st.text(max_size=80),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


def hostile_posts(fields, fixed=None):
    """Dicts of the form's fields, each hostile (or left out); `fixed` keeps choices a
    form needs to reach its deeper checks."""
    values = {name: st.one_of(st.none(), hostile_value) for name in fields}
    return st.fixed_dictionaries(values).map(
        lambda d: {**(fixed or {}), **{k: v for k, v in d.items() if v is not None}}
    )


# Modest: the whole suite stays near five minutes.
hostile_settings = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def assert_answered(response):
    assert response.status_code < 500, response.status_code


def post_hostile(client, url, post, state):
    """Post `post` to `url` in a savepoint rolled back afterwards, so every example meets
    the same records. Never a 500; when the post is refused (the form again, not a
    redirect) `state()` is as it was: nothing saved."""
    with transaction.atomic():
        before = state()
        response = client.post(url, post)
        assert_answered(response)
        if response.status_code != 302:
            assert state() == before, "a refused post saved something"
        transaction.set_rollback(True)
    return response
