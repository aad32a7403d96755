"""The migrations build exactly the schema app/tables.py describes, on every backend."""

import subprocess
import sys
import time
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

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



# Waits until an agreed instant, so the processes reach the migrations together.
_UPGRADE_AT = """
import sys, time
from app.database import make_engine
from app.migrate import current_revision, upgrade
url, start = sys.argv[1], float(sys.argv[2])
engine = make_engine(url)
time.sleep(max(0.0, start - time.time()))
upgrade(engine)
print(current_revision(engine))
"""


def test_processes_upgrading_a_new_database_together_all_succeed(database_url):
    # Each process imports the app first (a second or more on a busy machine), then waits.
    start = time.time() + 5
    racers = [
        subprocess.Popen([sys.executable, "-c", _UPGRADE_AT, database_url, str(start)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outcomes = [(racer.wait(timeout=120), *racer.communicate()) for racer in racers]
    assert [(code, out, err[-2000:]) for code, out, err in outcomes] == [(0, HEAD_REVISION + "\n", "")] * 3
    engine = make_engine(database_url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert versions == [HEAD_REVISION]
