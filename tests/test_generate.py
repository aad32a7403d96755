"""`geoevents generate`: deterministic, valid (spans slice their texts, an acyclic region
hierarchy, every type), idempotent and fast, on both backends."""

import time
from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text

from app import tables
from app.cli import main
from app.database import make_engine
from app.importers import tuning
from app.importers.generate import generate
from app.importers.generate_world import PRIVATE_ISO_CODES
from app.migrate import upgrade
from app.queries.fulltext import search_index
from tests.helpers import snapshot
from tests.test_import_gdelt import derived_data_matches_loader

EVENTS, SEED = 400, 11
_STAMPS = {"created_at", "updated_at", "changed_at"}


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table and of the search index, timestamps left out, in a stable order."""
    found = {}
    with engine.connect() as connection:
        for name, table in [*tables.metadata.tables.items(), ("search_index", search_index)]:
            columns = [c for c in table.c if c.name not in _STAMPS and not c.name.endswith("_terms")]
            found[name] = sorted(tuple(map(repr, row)) for row in connection.execute(select(*columns)))
    return found


def scalar(engine: Engine, query):  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.execute(query).scalar_one()


def test_same_size_and_seed_give_identical_data(tmp_path: Path) -> None:
    dumps = []
    for name, seed in (("a", SEED), ("b", SEED), ("c", SEED + 1)):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        upgrade(engine)
        generate(engine, EVENTS, seed, progress=False)
        dumps.append(dump(engine))
        engine.dispose()
    assert dumps[0] == dumps[1]
    assert dumps[0]["event"] != dumps[2]["event"]


def test_shape_and_counts(engine: Engine) -> None:
    report = generate(engine, EVENTS, SEED, progress=False)
    counts = {t: report.total(t, "created") for t in ("event", "source", "actor", "region")}
    # 10 events a source; a state per country and 40 other actors at least; 8 world regions, 41
    # private-use countries,
    # 4 subdivisions a country, 60 cities and 20 sites at least.
    assert counts == {"event": 400, "source": 40, "actor": 41 + 40, "region": 8 + 41 + 164 + 60 + 20}
    assert len(PRIVATE_ISO_CODES) == 41 and "XK" not in PRIVATE_ISO_CODES
    e = tables.event
    with engine.connect() as connection:
        types = set(connection.execute(select(e.c.type).distinct()).scalars())
        precisions = set(connection.execute(select(e.c.date_precision).distinct()).scalars())
        statuses = set(connection.execute(select(e.c.status).distinct()).scalars())
        first, last = connection.execute(select(func.min(e.c.start_date), func.max(e.c.start_date))).one()
        per_actor = Counter(connection.execute(select(tables.event_actor.c.actor_id)).scalars())
        depth = connection.execute(select(func.max(tables.region_ancestor.c.depth))).scalar_one()
    assert len(types) == 16
    assert precisions == {"day", "month", "year", "unknown"}
    assert statuses == {"occurred", "ongoing", "planned", "proposed"}
    assert 1960 <= first.year and last.year <= 2025
    # A long tail: the busiest tenth of the actors plays over 40% of the roles, while
    # most actors appear in only a handful of events.
    busiest = sum(n for _, n in per_actor.most_common(len(per_actor) // 10))
    assert busiest * 5 > sum(per_actor.values()) * 2
    assert sorted(per_actor.values())[len(per_actor) // 2] <= 7
    assert depth == 4  # site < city < subdivision < country < world region


def test_every_span_slices_its_text(engine: Engine) -> None:
    generate(engine, EVENTS, SEED, progress=False)
    q, s, f, eq = tables.quote, tables.source, tables.figure, tables.event_quote
    with engine.connect() as connection:
        texts = dict(connection.execute(select(s.c.id, s.c.text)).all())
        quotes = connection.execute(select(q.c.id, q.c.source_id, q.c.text, q.c.span_start, q.c.span_end)).all()
        figures = connection.execute(
            select(f.c.event_id, f.c.text, f.c.span_start, f.c.span_end, q.c.span_start, q.c.span_end, q.c.source_id)
            .join(eq, eq.c.event_id == f.c.event_id).join(q, q.c.id == eq.c.quote_id)).all()
        quoted = connection.execute(select(func.count()).select_from(eq)).scalar_one()
    assert len(quotes) == quoted
    for _, source_id, text, start, end in quotes:
        assert texts[source_id][start:end] == text
    for _, text, start, end, quote_start, quote_end, source_id in figures:
        assert texts[source_id][start:end] == text and text.endswith(" dead")
        assert quote_start <= start and end <= quote_end
    derived_data_matches_loader(engine)


def test_running_it_again_changes_nothing(engine: Engine) -> None:
    # Drawn in a second process the first time, in this one the second: the same records.
    generate(engine, EVENTS, SEED, progress=False, parallel=True)
    before = snapshot(engine)
    again = generate(engine, EVENTS, SEED, progress=False, parallel=False)
    assert dict(again.files[0].tally.counts["event"]) == {"created": 0, "updated": 0, "unchanged": 400}
    assert snapshot(engine) == before


def test_cli(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["generate", "--events", "50", "--seed", "3", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("50 rows read, 50 imported (50 created, 0 updated), 0 unchanged")
    assert scalar(engine, select(func.count()).select_from(tables.event)) == 50


def test_it_is_fast(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fast.db'}")
    upgrade(engine)
    # Processor time, not wall time: other work on a shared machine must not fail the test.
    started = time.process_time()
    generate(engine, 20000, SEED, progress=False)
    rate = 20000 / (time.process_time() - started)
    assert rate > 3000, f"{rate:,.0f} events per CPU second"
    engine.dispose()


def _indexes(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        return connection.execute(text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                                       "ORDER BY name")).all()


def test_a_big_import_keeps_every_index_and_leaves_statistics(engine: Engine, tmp_path: Path,
                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tuning, "ANALYZE_MIN_EVENTS", EVENTS)
    generate(engine, EVENTS, SEED, progress=False)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            analyzed = connection.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'event'")).scalar_one()
        else:  # ANALYZE counts the rows; a table never analyzed has reltuples -1
            analyzed = connection.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'event'::regclass")).scalar_one()
    assert analyzed > 0
    if engine.dialect.name == "sqlite":
        # The indexes of the tables it filled from empty were dropped and built again: all there.
        fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        upgrade(fresh)
        assert _indexes(engine) == _indexes(fresh)
        fresh.dispose()
