"""A model instance as the columns and parameters of an INSERT, for the rare statement the ORM cannot
write (a data-modifying CTE). Values go through each field's own pre_save and database preparation, as
Model.save does, so defaults, auto_now_add and JSON fields stay the model's business and a new field
needs no change here."""

from __future__ import annotations

from django.db import connection


def insert_row(instance, *, exclude: tuple[str, ...] = ()) -> tuple[list[str], list[str], list]:
    """(quoted columns, placeholders, parameters) of every concrete field but the primary key and
    `exclude`. Placeholders carry the column type: in `INSERT … SELECT` an untyped parameter would be
    read as text."""
    qn = connection.ops.quote_name
    columns, placeholders, params = [], [], []
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in exclude:
            continue
        columns.append(qn(field.column))
        placeholders.append(f"%s::{field.cast_db_type(connection)}")
        params.append(field.get_db_prep_save(field.pre_save(instance, add=True), connection))
    return columns, placeholders, params
