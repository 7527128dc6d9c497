"""A model instance as the columns and parameters of an INSERT, for the rare statement the ORM cannot
write (a data-modifying CTE). Values go through each field's own pre_save and database preparation, as
Model.save does, so defaults, auto_now_add and JSON fields stay the model's business and a new field
needs no change here."""

from __future__ import annotations

import functools

from django.db import connection


@functools.cache
def _insert_shape(
    model, exclude: tuple[str, ...], vendor: str
) -> tuple[tuple, tuple[str, ...], tuple[str, ...]]:
    # Fields, quoted columns and typed placeholders depend only on the model: worked out once per process
    # (in a rush the grab writes two rows per sale, and the type names cost more than the values).
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key and f.name not in exclude)
    qn = connection.ops.quote_name
    columns = tuple(qn(f.column) for f in fields)
    placeholders = tuple(f"%s::{f.cast_db_type(connection)}" for f in fields)
    return fields, columns, placeholders


def insert_row(instance, *, exclude: tuple[str, ...] = ()) -> tuple[list[str], list[str], list]:
    """(quoted columns, placeholders, parameters) of every concrete field but the primary key and
    `exclude`. Placeholders carry the column type: in `INSERT … SELECT` an untyped parameter would be
    read as text."""
    fields, columns, placeholders = _insert_shape(type(instance), tuple(exclude), connection.vendor)
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]
    return list(columns), list(placeholders), params


# --- reading: one row by hand-written SQL, built into an instance as the ORM would ---------------------
# For the few lookups a rush runs once per request (a sign-in token, the member behind it): compiling the
# query through the ORM cost three to four times the CPU of running it.


def fields_of(model, names) -> tuple:
    """The model's concrete fields named here (field names or attnames), in the model's own order, as
    from_row expects them."""
    wanted = set(names)
    return tuple(f for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted)


def columns_sql(fields, table: str) -> str:
    """`table."col", …` for a SELECT list."""
    qn = connection.ops.quote_name
    return ", ".join(f"{table}.{qn(f.column)}" for f in fields)


@functools.cache
def _converters(field, vendor: str) -> tuple:
    col = field.get_col(field.model._meta.db_table)
    return col, (*connection.ops.get_db_converters(col), *field.get_db_converters(connection))


def value_from_db(field, value):
    """A raw column value as the ORM hands it over (decrypted, parsed, timezone-aware)."""
    col, converters = _converters(field, connection.vendor)
    for convert in converters:
        value = convert(value, col, connection)
    return value


def from_row(model, fields, values):
    """An instance of `model` from the raw values of `fields` (from fields_of); the other fields are
    deferred, so reading one loads it as it would for `.only()`."""
    values = [value_from_db(f, v) for f, v in zip(fields, values, strict=True)]
    return model.from_db(connection.alias, [f.attname for f in fields], values)
