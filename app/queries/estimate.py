"""Row counts in bounded time, however large the table: an honest estimate, flagged as such."""

import json
from typing import Any

from sqlalchemy import Connection, Table, and_, between, func, literal_column, or_, select

# Below this many rows a table is simply counted: the estimate would cost as much.
EXACT_UP_TO = 20_000
WINDOWS = 10


def estimate_count(connection: Connection, table: Table, conditions: list[Any]) -> tuple[int, bool]:
    """(count, exact): an exact count on small tables, otherwise an estimate in bounded time."""
    if connection.dialect.name == "postgresql":
        return _postgres_estimate(connection, table, conditions)
    return _sqlite_estimate(connection, table, conditions)


def _exact(connection: Connection, table: Table, conditions: list[Any]) -> int:
    return connection.execute(select(func.count()).select_from(table).where(*conditions)).scalar_one()


def _sqlite_estimate(connection: Connection, table: Table, conditions: list[Any]) -> tuple[int, bool]:
    rowid = literal_column(f"{table.name}.rowid")
    low, high = connection.execute(select(func.min(rowid), func.max(rowid)).select_from(table)).one()
    if low is None:
        return 0, True
    span = high - low + 1
    if span <= EXACT_UP_TO:
        return _exact(connection, table, conditions), True
    # Count matches in evenly spread windows of the rowid range and scale up: a fixed
    # amount of work, and spread sampling resists the ordering of a bulk load.
    width = EXACT_UP_TO // WINDOWS
    stride = span // WINDOWS
    windows = [between(rowid, low + i * stride, low + i * stride + width - 1) for i in range(WINDOWS)]
    sampled = connection.execute(
        select(func.count()).select_from(table).where(and_(or_(*windows), *conditions))
    ).scalar_one()
    return round(sampled * span / (width * WINDOWS)), False


def _postgres_estimate(connection: Connection, table: Table, conditions: list[Any]) -> tuple[int, bool]:
    # The planner's row estimate, as PostgREST gives it: no rows are read.
    query = select(literal_column("1")).select_from(table).where(*conditions)
    compiled = query.compile(connection, compile_kwargs={"render_postcompile": True})
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    if estimate <= EXACT_UP_TO:
        return _exact(connection, table, conditions), True
    return estimate, False
