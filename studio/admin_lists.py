"""What keeps an admin list fast at chain scale (issue 11: 760,000 ledger entries, 1.9 million
messages): a count that stops early, and a search that reaches related rows through their
indexes. `BranchScopedAdmin` uses both, so every admin of the studio lists the same way.
"""

import json
from collections import defaultdict

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Lookup, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal

from .selectors import SHORTEST_ANYWHERE


class EstimatedCountPaginator(Paginator):
    """Counts the rows exactly up to `exact_up_to`, with a count that stops there (cheap however
    big the table); above it, takes PostgreSQL's estimate (the planner's row estimate for the
    list's query, which for an unfiltered table is pg_class.reltuples scaled to its size),
    rounded to two figures. `count_is_estimated` tells the page to say "about".

    A thousand: ten pages of a hundred. Past that nobody pages through an admin list, and a
    search for a common name in 1.9 million messages spent most of its time counting up to
    ten thousand matches (p95 ~300 ms at chain scale)."""

    exact_up_to = 1_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_is_estimated = False

    @cached_property
    def count(self):
        rows = self.object_list
        if not isinstance(rows, QuerySet) or connections[rows.db].vendor != "postgresql":
            return super().count
        rows = rows.order_by()
        counted = rows[: self.exact_up_to + 1].count()
        if counted <= self.exact_up_to:
            return counted
        self.count_is_estimated = True
        return _two_figures(max(planned_rows(rows), counted))


# Up to how many matching ids a search lists by id (see `search` and `matching`).
IDS_INLINE = 10_000


def planned_rows(queryset):
    """The planner's estimate of how many rows `queryset` returns (EXPLAIN, not run)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _two_figures(number):
    digits = len(str(number))
    return round(number, 2 - digits) if digits > 2 else number


def orm_lookup(model, search_field, term):
    """The ORM lookup of an admin `search_fields` entry for `term`, as Django reads it ("^"
    from the start, "=" exactly, "@" full text, a trailing lookup as written), except that a
    plain field matches anywhere only from three characters on, and from the start below:
    the front desk's rule (`studio.selectors.SHORTEST_ANYWHERE`), which trigram indexes
    serve from three characters and pattern indexes below."""
    for prefix, lookup in (("^", "istartswith"), ("=", "iexact"), ("@", "search")):
        if search_field.startswith(prefix):
            return f"{search_field[1:]}__{lookup}"
    field = None
    for name in search_field.split("__"):
        try:
            field = _field(model, name)
        except FieldDoesNotExist:
            if field is not None and field.get_lookup(name):
                return search_field
            raise
        model = field.related_model or model
    anywhere = len(term) >= SHORTEST_ANYWHERE
    return f"{search_field}__{'icontains' if anywhere else 'istartswith'}"


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def search(queryset, search_fields, search_term):
    """The admin's search of `queryset`: every word matches one of `search_fields`. Returns
    the rows and whether they may repeat.

    When at most `IDS_INLINE` rows match, the list becomes those rows by id: the planner
    cannot tell how few rows a pattern matches, and with the list's ORDER BY and LIMIT it
    would walk the ordering index from the newest row, testing each, until a page is full
    (half a million rows for a receipt number that appears once)."""
    model = queryset.model
    found, repeats = queryset, False
    for term in search_terms(search_term):
        lookups = [orm_lookup(model, str(field), term) for field in search_fields]
        found = found.filter(matching(model, lookups, term))
        repeats |= any(lookup_spawns_duplicates(model._meta, lookup) for lookup in lookups)
    ids = list(found.order_by().values_list("pk", flat=True)[: IDS_INLINE + 1])
    if len(ids) <= IDS_INLINE:
        return queryset.filter(OneOf(F("pk"), sorted(set(ids)))), False
    return found, repeats


class OneOf(Lookup):
    """`column IN (ids)`, written for PostgreSQL so that the planner does not see how many
    ids there are (`= ANY(ARRAY(SELECT unnest(ids)))`, a parameter it guesses small): it
    then fetches the rows by id and sorts them. Seeing a thousand ids out of 760,000, it
    would rather walk the list's ordering index until a page is full, and matches that
    cluster in time (receipts B01-R0001000 to B01-R0001999) sit at its far end."""

    lookup_name = "one_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        marks = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({marks})", (*lhs_params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        array = f"%s::{self.lhs.output_field.cast_db_type(connection)}[]"
        return f"{lhs} = ANY(ARRAY(SELECT unnest({array})))", (*lhs_params, list(self.rhs))


def search_terms(search_term):
    """The words of a search as the admin splits them ("quoted words" stay together)."""
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        yield bit


def matching(model, lookups, term):
    """Rows of `model` where one of `lookups` matches `term`.

    A lookup through a foreign key asks the related table first, through its own indexes,
    and keeps the rows pointing at what it found: `order_id IN (ids)`. An OR of conditions on
    two joined tables can use neither table's index (PostgreSQL reads every row of the
    list), while an OR of conditions on one table becomes a BitmapOr of index scans; a
    literal list of ids is looked up by hash when a row is read anyway. Past `IDS_INLINE`
    ids, the related rows stay a subquery. A lookup through a many-valued relation joins, as
    the admin does."""
    here, through = [], defaultdict(list)
    for lookup in lookups:
        name, _sep, rest = lookup.partition("__")
        field = _field(model, name)
        forward = field.many_to_one or (field.one_to_one and field.concrete)
        if forward and field.get_lookup(rest.split("__")[0]) is None:
            through[field].append(rest)
        else:
            here.append(Q(**{lookup: term}))
    for field, rests in through.items():
        found = (
            field.related_model._base_manager.filter(matching(field.related_model, rests, term))
            .order_by()
            .values_list(field.target_field.attname, flat=True)
        )
        ids = list(found[: IDS_INLINE + 1])
        # The ids as one value (`= ANY(array)`), not a placeholder each: PostgreSQL spent
        # longer planning thousands of constants than running the search (a common name).
        here.append(
            Q(**{f"{field.attname}__any": ids})
            if len(ids) <= IDS_INLINE
            else Q(**{f"{field.attname}__in": found})
        )
    return Q.create(here, connector=Q.OR)
