"""Querysets whose SQL is made once per process: the hot reads of the busiest pages.

Measured on the chain-scale dataset (docs/performance.md), building a queryset with its
filters, annotations and joins and compiling it to SQL took 2–3 times as long as
PostgreSQL took to run it and Django to build the rows: Today's eleven queries spent
~9 ms of CPU being written, page after page, always the same SQL with other numbers.

`Prepared` builds the queryset once with marker values in the place of its parameters,
compiles it once per database, and remembers where each marker landed among the SQL's
parameters. A call puts the real values there and runs the same SQL through the same
compiler, so rows come back as the queryset would build them: models with their
`select_related` objects and annotations, or `values_list` tuples.

The builder must depend on nothing but its parameters (no "now", no language, no user
read inside it); each parameter must reach the SQL as a parameter. A list (the pks
of a page's rows) is passed whole with the `any` lookup (`pk__any=ids`), which keeps
one parameter whatever the list's length; `__in` would write one placeholder per item.
A call returns a list, never a queryset: chaining more filters onto the compiled SQL
would silently ignore them.
"""

import copy
import json
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import Field, ForeignObject, Func, Lookup, QuerySet, Value
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)


@Field.register_lookup
class AnyOf(Lookup):
    """`field__any=[1, 2, 3]`: the value is one of a list, passed as one parameter
    (`= ANY(%s)` on PostgreSQL), so the SQL is the same whatever the list's length."""

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        values = [self.lhs.output_field.get_db_prep_value(v, connection) for v in value]
        if connection.vendor == "postgresql":
            return ("%s", [values])
        return ("%s", [json.dumps(values)])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):  # make run's zero-setup database
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", [*lhs_params, *rhs_params]


ForeignObject.register_lookup(AnyOf)  # relations keep lookups of their own


class Unseen(Func):
    """A value PostgreSQL does not look at when it plans a prepared statement: `(SELECT
    %s)`. It then keeps one plan for every value (a "generic" plan) where, seeing a day's
    bounds, it judged that day's rows fewer than its guess for an unknown range and planned
    the statement afresh at every call (docs/performance.md, "Stop 22"). For the bounds of
    a day's or a week's short lists, read by an index either way. Elsewhere (SQLite) the
    value as it is."""

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(SELECT {sql})", params


def may_have(row: Any, records: str) -> bool:
    """Whether `row` may have these records: False only when the query that read it
    annotated `has_<records>` (an EXISTS) and found none, so the page skips their read.
    A record made since that query shows at the next view."""
    return getattr(row, f"has_{records}", True) is not False


def unseen(value: Any) -> Unseen:
    """`Unseen` of a plain value (a moment, a day)."""
    return Unseen(Value(value))


def _planned_once_class() -> type | None:
    """psycopg 3's server-binding cursor, with every statement prepared: PostgreSQL parses
    and plans it once per connection, then runs the plan with the new values."""
    try:
        from django.db.backends.postgresql.base import ServerBindingCursor
    except ImportError:  # psycopg 2
        return None

    class PlannedOnce(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PlannedOnce


_PLANNED_ONCE = _planned_once_class()


@contextmanager
def planned_once(using: str = "default") -> Iterator[Any]:
    """A cursor for SQL that runs on every request (who is signed in, whether a polled
    fragment changed): PostgreSQL plans its statements once per connection instead of at
    every call. Measured on the chain-scale dataset, planning took twice as long as running
    them (docs/performance.md, "Stop 21"). The cursor is Django's, with its error wrapping,
    query logging and execute wrappers; only the statement is sent for the server to keep.

    Statements are bound on the server ($1, $2...), so their parameters must have types
    PostgreSQL can tell (a cast where it cannot). Where that is not available — SQLite,
    psycopg 2, DB_PREPARED_STATEMENTS=0 for a pooler that cannot keep prepared statements
    (PgBouncer before 1.21, or without max_prepared_statements), queries being logged — an
    ordinary cursor."""
    with planned_cursor(connections[using]) as cursor:
        yield cursor


def planned_cursor(connection: Any) -> Any:
    """`planned_once`'s cursor on a connection (Django's wrapper): the caller closes it."""
    if (
        connection.vendor != "postgresql"
        or _PLANNED_ONCE is None
        or not getattr(settings, "DB_PREPARED_STATEMENTS", True)
        # Logging queries (DEBUG, a test counting them): psycopg keeps no text of a
        # prepared statement's run for Django's log, which an ordinary cursor gives it.
        or connection.queries_logged
    ):
        return connection.cursor()
    # Connect (or reconnect after a failed health check) first, so that the cursor below is
    # made on the connection it will use; this thread's own connection, so the swap of its
    # cursor class for one call is seen by no one else.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off (None), which refuses prepare=True too. Its
        # ordinary cursors bind on the client and never prepare whatever the threshold: a
        # threshold no count reaches keeps to the statements sent through here.
        raw.prepare_threshold = sys.maxsize
    ordinary = raw.cursor_factory
    raw.cursor_factory = _PLANNED_ONCE
    try:
        return connection.cursor()
    finally:
        raw.cursor_factory = ordinary


class _Planning:
    """A connection whose cursors are `planned_cursor`s: what a `Prepared` query's compiler
    runs its SQL with."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def cursor(self) -> Any:
        return planned_cursor(self._connection)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


class Marker:
    """Values no real query uses, one per parameter, that the compiled SQL's parameters
    are searched for."""

    @staticmethod
    def number(n: int) -> int:
        return -7_340_000_000 - n

    @staticmethod
    def numbers(n: int) -> list[int]:
        return [-7_350_000_000 - n]

    @staticmethod
    def moment(n: int) -> datetime:
        return datetime(1901, 1, 1 + n, 3, 4, 5, 6789, tzinfo=UTC)

    @staticmethod
    def day(n: int) -> date:
        return date(1901, 2, 1 + n)

    @staticmethod
    def text(n: int) -> str:
        return f"\x1fmarker-{n}\x1f"


class Prepared:
    """`Prepared(build, markers)`: `build(*markers)` makes the queryset once; calling the
    prepared query with as many values runs its SQL with them and returns the rows."""

    # Every prepared query of the process (tests run each one's SQL as PostgreSQL would
    # keep it: studio's test_prepared).
    made: "weakref.WeakSet[Prepared]" = weakref.WeakSet()

    def __init__(self, build: Callable[..., QuerySet], markers: Sequence[Any]) -> None:
        Prepared.made.add(self)
        self._build = build
        self._markers = list(markers)
        self._lock = threading.Lock()
        self._template: QuerySet | None = None
        self._compiled: dict[str, tuple[Any, str, list[Any], list[int | None]]] = {}
        # The rows' converters, per connection (each thread has its own): worked out once,
        # as the SQL is, instead of for each of the select's columns at every call; with
        # the compiler on that connection that applies them.
        self._converters: weakref.WeakKeyDictionary[Any, tuple[Any, dict]] = (
            weakref.WeakKeyDictionary()
        )
        # How rows become the queryset's results, per database (_Rows), or None where the
        # queryset needs Django's own iterable (prefetches, named tuples, ...).
        self._rows: dict[str, _Rows | None] = {}

    def _compile(self, alias: str) -> tuple[Any, str, list[Any], list[int | None]]:
        # Read without the lock once compiled: a lock taken at every call convoyed the
        # server's threads (one descheduled while holding it made the others wait for it).
        compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        with self._lock:
            if alias not in self._compiled:
                assert self._template is not None
                compiler = self._template.query.get_compiler(using=alias)
                try:
                    sql, params = compiler.as_sql()
                except EmptyResultSet as exc:
                    # Django drops `=` on a 32-bit integer column with a number outside
                    # its range (a marker is one): pass such a value as a list (`__any`).
                    raise ImproperlyConfigured(
                        f"{self._build.__qualname__}: a lookup refused a marker value; give "
                        "32-bit integer columns their value as a list of one (`field__any`)"
                    ) from exc
                positions: list[int | None] = []
                for p in params:
                    found = [i for i, m in enumerate(self._markers) if _same(p, m)]
                    positions.append(found[0] if found else None)
                for i in range(len(self._markers)):
                    if i not in positions:
                        raise ImproperlyConfigured(
                            f"{self._build.__qualname__}: parameter {i} is not among the "
                            f"SQL's parameters: {sql} {params}"
                        )
                self._compiled[alias] = (compiler, sql, list(params), positions)
            return self._compiled[alias]

    def first(self, *values: Any) -> Any:
        """The first row the query gives with these values, or None."""
        found = self(*values)
        return found[0] if found else None

    def __call__(self, *values: Any) -> list[Any]:
        if len(values) != len(self._markers):
            raise TypeError(f"expected {len(self._markers)} values, got {len(values)}")
        template = self._template
        if template is None:
            with self._lock:
                if self._template is None:
                    self._template = self._build(*self._markers)
            template = self._template
        alias = router.db_for_read(template.model) or "default"
        if connections[alias].vendor != "postgresql":  # make run's SQLite: as it is
            return list(self._build(*values))
        compiled, sql, params, positions = self._compile(alias)
        filled = [
            p if at is None else _param(values[at], self._markers[at])
            for p, at in zip(params, positions, strict=True)
        ]
        connection = connections[alias]
        converting = self._converters.get(connection)
        if converting is None:
            columns = [s[0] for s in compiled.select[0 : compiled.col_count]]
            on_this = copy.copy(compiled)
            on_this.connection = connection  # this thread's, whose backend converts
            converting = (on_this, type(compiled).get_converters(on_this, columns))
            with self._lock:
                self._converters[connection] = converting
        on_this, converters = converting
        if alias not in self._rows:
            with self._lock:
                self._rows[alias] = _Rows.of(template, compiled, alias)
        rows = self._rows[alias]
        if rows is not None:
            # The SQL run and its rows made into what the queryset gives, as Django's
            # iterable makes them, without building a queryset and a compiler for each call.
            with planned_cursor(connection) as cursor:
                cursor.execute(sql, filled)
                fetched = cursor.fetchall()
            return rows.make(fetched, on_this, converters)
        compiler = copy.copy(compiled)
        # This thread's connection; the SQL planned once on it by PostgreSQL too.
        compiler.connection = _Planning(connection)
        compiler.as_sql = lambda *args, **kwargs: (sql, filled)
        compiler.get_converters = lambda expressions: converters
        queryset = template._chain()
        queryset._db = alias
        queryset.query.get_compiler = (  # type: ignore[method-assign]
            lambda using=None, connection=None, elide_empty=True: compiler
        )
        return list(queryset)


class _Rows:
    """What Django's ModelIterable, ValuesListIterable and FlatValuesListIterable do with
    a compiled query's rows (django/db/models/query.py), with what is the same at every
    call worked out once: the columns of each model, the select_related populators."""

    @classmethod
    def of(cls, template: QuerySet, compiled: Any, alias: str) -> "_Rows | None":
        iterable = template._iterable_class
        columns = [s[0] for s in compiled.select[0 : compiled.col_count]]
        if (
            iterable not in (ModelIterable, ValuesListIterable, FlatValuesListIterable)
            or template._prefetch_related_lookups
            or template._known_related_objects
            or compiled.has_composite_fields(columns)
        ):
            return None
        return cls(iterable, compiled, alias)

    def __init__(self, iterable: type, compiled: Any, alias: str) -> None:
        self.iterable = iterable
        self.alias = alias
        self.col_count = compiled.col_count if compiled.has_extra_select else None
        if iterable is ModelIterable:
            klass_info, select = compiled.klass_info, compiled.select
            self.model = klass_info["model"]
            fields = klass_info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
            # Each holds where its model's columns are and how to set it on the row's
            # object; nothing of one call.
            self.populators = get_related_populators(klass_info, select, alias)
            self.annotations = list(compiled.annotation_col_map.items())

    def make(self, rows: list[Any], compiler: Any, converters: dict) -> list[Any]:
        """The objects or values of `rows`: cut to the query's columns and converted by
        `compiler` (the query's, on this thread's connection), as Django's iterables do."""
        if self.col_count is not None:
            rows = [r[: self.col_count] for r in rows]
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        if self.iterable is FlatValuesListIterable:
            return [r[0] for r in rows]
        if self.iterable is ValuesListIterable:
            return [tuple(r) for r in rows]
        made = []
        from_db, alias, init_list = self.model.from_db, self.alias, self.init_list
        start, end = self.start, self.end
        for row in rows:
            obj = from_db(alias, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, at in self.annotations:
                setattr(obj, name, row[at])
            made.append(obj)
        return made


def _same(param: Any, marker: Any) -> bool:
    if isinstance(marker, list):
        return isinstance(param, list) and param == marker
    # isinstance: the database layer may wrap a number in its own int type (psycopg's Int8
    # for a BigIntegerField), which is still the marker.
    return isinstance(param, type(marker)) and param == marker


def _param(value: Any, marker: Any) -> Any:
    if isinstance(marker, list):
        return list(value)
    return value
