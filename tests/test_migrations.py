"""The migrations build exactly the schema app/tables.py describes, on every backend."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from app.migrate import current_revision, head_revision, upgrade
from app.tables import metadata


def test_upgrade_reaches_head_and_matches_the_tables(engine):
    assert current_revision(engine) == head_revision() == "0001"
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
        names = set(inspect(connection).get_table_names())
    assert differences == []
    assert names == set(metadata.tables) | {"alembic_version"}


def test_upgrade_twice_is_harmless(engine):
    upgrade(engine)
    assert current_revision(engine) == "0001"
