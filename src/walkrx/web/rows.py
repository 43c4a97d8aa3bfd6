"""One row by one column, without building the ORM query each time (the hot path of every page).

Every signed-in page loads the session, the user and the walker by one key each. Built
through the ORM (``Model.objects.filter(...).first()``), each such query is compiled
afresh on every request, and its result columns are matched to fields and converters
afresh too; that cost more CPU than the database's own work (on SQLite 371 µs per walker
row, against 118 µs through Django's raw queries and 43 µs here: scripts/bench_page_cpu.py).

Here the SQL and each field's converters (the same ones the ORM applies: dates on SQLite,
JSON, booleans, time zones) are worked out once per database connection wrapper (Django
keeps one per thread), and the row becomes a model instance through ``Model.from_db``,
as the ORM's own iterator does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple[str, ...]  # the model's concrete fields (attnames): first in each row
    fields: int  # how many; the extra columns follow
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]  # (position, functions, column)


def pk_column(model: type[Model]) -> str:
    """The database column of ``model``'s primary key."""
    pk = model._meta.pk
    if pk is None or pk.column is None:
        raise TypeError(f"{model.__name__} has no primary key column")
    return str(pk.column)


def _plan(
    connection: Any,
    model: type[Model],
    column: str,
    extra_where: str,
    extra_columns: tuple[str, ...],
) -> _Plan:
    qn = connection.ops.quote_name
    table = str(model._meta.db_table)
    fields = model._meta.concrete_fields
    select = [f"{qn(table)}.{qn(str(f.column))}" for f in fields]
    select += [f"{expr} AS {qn(f'walkrx_extra_{i}')}" for i, expr in enumerate(extra_columns)]
    where = f"{qn(table)}.{qn(column)} = %s" + (f" AND {extra_where}" if extra_where else "")
    sql = (
        f"SELECT {', '.join(select)} FROM {qn(table)} WHERE {where} "
        f"ORDER BY {qn(table)}.{qn(pk_column(model))} LIMIT 1"
    )
    converters = []
    for i, field in enumerate(fields):  # as the ORM's compiler does for each selected column
        col = field.get_col(table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((i, tuple(found), col))
    return _Plan(sql, tuple(f.attname for f in fields), len(fields), tuple(converters))


def one_by(
    model: type[M],
    column: str,
    value: Any,
    *,
    extra_where: str = "",
    extra_params: Sequence[Any] = (),
    extra_columns: tuple[str, ...] = (),
) -> M | None:
    """The row of ``model`` whose ``column`` equals ``value`` (lowest id first), or ``None``.

    ``extra_where`` is a further SQL condition with ``%s`` placeholders for
    ``extra_params``; ``extra_columns`` are SQL expressions (without placeholders) read
    in the same statement, returned as the tuple ``obj.extra_values`` (as the database
    gives them). Both are fixed strings written in this code, never user input.
    """
    connection = connections["default"]
    plans = connection.__dict__.setdefault("_walkrx_row_plans", {})
    key = (model, column, extra_where, extra_columns)
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _plan(connection, model, column, extra_where, extra_columns)
    with connection.cursor() as cur:
        cur.execute(plan.sql, [value, *extra_params])
        row = cur.fetchone()
    if row is None:
        return None
    values = list(row[: plan.fields])
    for i, functions, col in plan.converters:
        v = values[i]
        for convert in functions:
            v = convert(v, col, connection)
        values[i] = v
    obj = model.from_db(connection.alias, plan.names, values)
    if extra_columns:
        obj.extra_values = tuple(row[plan.fields :])  # type: ignore[attr-defined]
    return obj
