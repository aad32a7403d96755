"""The migrations build exactly the schema app/tables.py describes, on every backend."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from app import tables
from app.database import make_engine
from app.loader import read_dataset
from app.migrate import current_revision, head_revision, upgrade
from app.queries.fulltext import is_index_table
from app.tables import metadata
from tests.helpers import HEAD_REVISION, load_rows_directly


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
    load_rows_directly(engine, read_dataset([Path(__file__).resolve().parent.parent / "seeds"]))
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            select(tables.change.c.record_type, func.count()).group_by(tables.change.c.record_type)
        ).all()
    engine.dispose()
    assert dict(rows) == {"source": 1, "actor": 22, "region": 21, "quote": 28, "event": 25}


def test_upgrading_a_seeded_database_keeps_every_row(database_url):
    engine = make_engine(database_url)
    upgrade(engine, "0002")
    load_rows_directly(engine, read_dataset([Path(__file__).resolve().parent.parent / "seeds"]))
    upgrade(engine)
    with engine.connect() as connection:
        counts = {
            name: connection.execute(select(func.count()).select_from(tables.metadata.tables[name])).scalar_one()
            for name in ("event_actor", "event_region", "event_quote", "figure", "actor_alias", "region_alias")
        }
        origins = set(connection.execute(select(tables.event.c.origin)).scalars())
    engine.dispose()
    assert counts == {"event_actor": 47, "event_region": 20, "event_quote": 43, "figure": 7,
                      "actor_alias": 31, "region_alias": 18}
    assert origins == {"seed"}

