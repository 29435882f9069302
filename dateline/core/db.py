"""Database housekeeping, and the one-statement insert of the comment post's hot path."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from django.db import connection
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
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if connection.features.can_return_columns_from_insert else None
        if pk is None:
            pk = cursor.lastrowid
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
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
