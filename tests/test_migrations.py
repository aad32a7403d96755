"""The migrations build exactly the schema app/tables.py describes, on every backend."""

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from app import tables
from app.database import make_engine
from app.loader import read_dataset
from app.loader.changes import Changes
from app.loader.write import _sync
from app.migrate import current_revision, head_revision, upgrade
from app.queries.fulltext import is_index_table
from app.tables import metadata
from tests.helpers import HEAD_REVISION


def test_upgrade_reaches_head_and_matches_the_tables(engine):
    assert current_revision(engine) == head_revision() == HEAD_REVISION
    with engine.connect() as connection:
        # The search index belongs to migration 0003, not to app.tables (as in migrations/env.py).
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, type_, _: not (type_ == "table" and is_index_table(name))}
        )
        differences = compare_metadata(context, metadata)
        names = {name for name in inspect(connection).get_table_names() if not is_index_table(name)}
    assert differences == []
    assert names == set(metadata.tables) | {"alembic_version"}


def test_upgrade_twice_is_harmless(engine):
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION


def test_records_loaded_before_the_change_feed_enter_it_as_created(database_url):
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    dataset = read_dataset([Path(__file__).resolve().parent.parent / "seeds"])
    with engine.begin() as connection:
        now = datetime.now(UTC)
        for table, records in (
            (tables.source, dataset.sources),
            (tables.actor, dataset.actors),
            (tables.region, dataset.regions),
            (tables.quote, dataset.quotes),
            (tables.event, dataset.events),
        ):
            _sync(connection, table, records, now, Changes())
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            select(tables.change.c.record_type, func.count()).group_by(tables.change.c.record_type)
        ).all()
    engine.dispose()
    assert dict(rows) == {"source": 1, "actor": 22, "region": 21, "quote": 28, "event": 25}
