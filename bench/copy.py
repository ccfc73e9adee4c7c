"""Rows written with PostgreSQL's COPY, in the columns of a project model.

A `Table` is one model's table: the builder gives each row the values of the columns it
names (ids included, so rows can point at each other before they are written); every other
concrete field gets the model field's own default, prepared once. COPY goes through the
database's constraints (foreign keys, checks, unique and exclusion constraints) exactly as
an INSERT does, so a row the models' rules refuse stops the build.
"""

import time

from django.db import connection, models
from psycopg.types.json import Jsonb


def _prepared(field, value):
    if isinstance(field, models.JSONField):
        return Jsonb(value)
    return value


class Table:
    def __init__(self, model, columns):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        self.columns = list(columns)
        self.json = [
            i for i, name in enumerate(columns) if isinstance(fields[name], models.JSONField)
        ]
        rest = [f for name, f in fields.items() if name not in columns]
        for f in rest:
            if not f.has_default() and not f.null and not f.empty_strings_allowed:
                raise ValueError(f"{model.__name__}.{f.name} has no default: give it")
        self.sql_columns = [fields[name].column for name in columns] + [f.column for f in rest]
        self.tail = tuple(_prepared(f, f.get_default()) for f in rest)
        self.rows = []

    def add(self, *values):
        self.rows.append(values)

    def __len__(self):
        return len(self.rows)

    def write(self, *, sort_key=None, first_id=None, out=None):
        """COPY the rows; with `first_id`, sorted by `sort_key` and numbered from it in that
        order (the first column is then the id, given as None). Returns the row count."""
        rows = self.rows
        if sort_key is not None:
            rows.sort(key=sort_key)
        if first_id is not None:
            rows = [(first_id + i, *row[1:]) for i, row in enumerate(rows)]
        started = time.monotonic()
        table = self.model._meta.db_table
        names = ", ".join(f'"{c}"' for c in self.sql_columns)
        tail, json = self.tail, self.json
        sql = f'COPY "{table}" ({names}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                if json:
                    row = list(row)
                    for i in json:
                        row[i] = Jsonb(row[i])
                copy.write_row((*row, *tail))
        if out is not None:
            seconds = time.monotonic() - started
            out(f"  {table}: {len(rows):,} rows in {seconds:.1f} s")
        count = len(rows)
        self.rows = []
        return count


def reset_sequences(models_):
    """After rows were written with their ids: the next id each table hands out."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)
