"""Database housekeeping, and the one-statement insert and lookups of the comment post's hot
path."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def database_analyze(**kwargs: Any) -> None:
    """Refresh the query planner's statistics. SQLite has none until ANALYZE runs, and without
    them it can pick an index that reads a whole 20,000-comment thread."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def insert_row(obj: M) -> M:
    """Insert a new ``obj`` with one prepared statement and set its primary key.

    For the rows written on every reader's post (a comment and its log entry), where building
    the INSERT through ``Model.save()`` cost several times running it
    (docs/decisions/0050-comment-post-speed.md). Each field prepares its own value, as in
    ``save()`` (``pre_save`` for auto_now and the like, ``get_db_prep_save`` for JSON, dates,
    …). Unlike ``save()`` it sends no ``pre_save``/``post_save`` signals and runs no checks for
    unsaved related objects: use it only for models whose writes need neither (tested for the
    models that use it). Must run inside the caller's transaction when one is needed.
    """
    model = type(obj)
    fields, sql = _insert_statement(model)
    conn = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-attribute proxy
    params = [f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields]
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if conn.features.can_return_columns_from_insert else None
        if pk is None:
            pk = cursor.lastrowid
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = conn.alias
    return obj


@lru_cache(maxsize=16)
def _insert_statement(model: type[Model]) -> tuple[list[Field[Any, Any]], str]:
    meta = model._meta
    if meta.parents:
        raise TypeError(f"{meta.label}: insert_row() writes one table; this model has parents")
    fields = [f for f in meta.local_concrete_fields if not f.primary_key or not f.db_returning]
    if any(f.has_db_default() for f in fields):
        raise TypeError(f"{meta.label}: insert_row() does not handle database defaults")
    q = connection.ops.quote_name
    columns = ", ".join(q(str(f.column)) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    returning = (
        f" RETURNING {q(str(meta.pk.column))}"
        if connection.features.can_return_columns_from_insert
        else ""
    )
    # Only quoted names from the model's metadata are formatted in; every value is a parameter.
    sql = f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({values}){returning}"  # noqa: S608
    return fields, sql


def select_one(
    model: type[M], sql: str, params: Sequence[Any], fields: Sequence[Field[Any, Any]]
) -> M | None:
    """The first row of a hand-written ``sql``, whose columns are ``fields`` (in the model's
    field order), as a ``model`` instance made the way the ORM makes it: the backend's and each
    field's converters (aware datetimes, booleans, JSON, …), then ``Model.from_db`` (fields not
    read are deferred). For lookups on the comment post's hot path, where building the query
    through the ORM cost more than running it (docs/decisions/0050-comment-post-speed.md)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else model_from_row(model, fields, row)


def model_from_row(model: type[M], fields: Sequence[Field[Any, Any]], row: Sequence[Any]) -> M:
    """A ``model`` instance from the raw ``row`` of a hand-written statement whose columns are
    ``fields`` (in the model's field order), converted as the ORM converts them."""
    names, converters = _read_plan(model, tuple(fields))
    conn = connections[DEFAULT_DB_ALIAS]
    values = list(row)
    for i, functions, expression in converters:
        for convert in functions:
            values[i] = convert(values[i], expression, conn)
    return model.from_db(conn.alias, names, values)


@lru_cache(maxsize=32)
def _read_plan(
    model: type[Model], fields: tuple[Field[Any, Any], ...]
) -> tuple[list[str], list[tuple[int, list[Any], Any]]]:
    order = {f: i for i, f in enumerate(model._meta.concrete_fields)}
    if [order[f] for f in fields] != sorted(order[f] for f in fields):
        # Model.from_db fills a partial row in the model's field order.
        raise ValueError(f"{model._meta.label}: select_one() needs fields in the model's order")
    conn = connections[DEFAULT_DB_ALIAS]
    converters = []
    for i, field in enumerate(fields):
        expression = field.get_col(field.model._meta.db_table)
        functions = conn.ops.get_db_converters(expression) + field.get_db_converters(conn)
        if functions:
            converters.append((i, functions, expression))
    return [f.attname for f in fields], converters
