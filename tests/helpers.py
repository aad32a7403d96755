"""Helpers shared by tests."""

from sqlalchemy import Engine, select

from app import tables


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal snapshots mean an unchanged database."""
    with engine.connect() as connection:
        return {
            name: sorted(tuple(map(str, row)) for row in connection.execute(select(table)))
            for name, table in tables.metadata.tables.items()
        }

# The newest migration: a test that names the schema revision uses this one value.
HEAD_REVISION = "0003"
