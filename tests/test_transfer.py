"""`geoevents export`, `geoevents import jsonl` and `geoevents db backup`."""

import itertools
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, insert, select, text

from app import tables
from app.cli import main
from app.database import make_engine
from app.loader import derived, seed
from app.loader.changes import Changes
from app.migrate import upgrade
from tests.conftest import BACKENDS, SEEDS, _new_database
from tests.helpers import HEAD_REVISION, snapshot
from tests.test_concurrency import BRIEF_EVENTS, BRIEF_QUOTES, write_copies

ROOT = Path(__file__).resolve().parent.parent
BRIEF = "2025-08-15-putin-trump-alaska-summit"
CREATED = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
EDITED = datetime(2026, 3, 2, 8, 0, 0, 654321, tzinfo=UTC)
ATTRIBUTES = {"cameo": "040", "goldstein": 1.0, "tone": -2.75, "labels": ["Consult", "Обсуждение"],
              "nested": {"list": [1, 2.5, {"empty": None}], "flag": True}}
TOKEN_HASH = "f" * 64
# One seed logs a change per record: 1 source, 22 actors, 21 regions, 28 quotes, 25 events.
SEED_CHANGES = 1 + 22 + 21 + 28 + 25


def add_records_seeding_does_not_make(engine: Engine) -> None:
    """An actor created through the API, an imported region and event (with attributes), their
    change-feed rows, and an API token; derived data refreshed as a writer would."""
    stamps = {"created_at": CREATED, "updated_at": EDITED}
    with engine.begin() as connection:
        connection.execute(insert(tables.actor).values(
            id="kyiv-independent", name="The Kyiv Independent", kind="organization", description="A newspaper.",
            affiliation_id="ukraine", code="UKRMED", country_code="UKR", origin="api", **stamps))
        connection.execute(insert(tables.actor_alias), [
            {"actor_id": "kyiv-independent", "alias": "Kyiv Independent", "position": 0},
            {"actor_id": "kyiv-independent", "alias": "The Kyiv Independent", "position": 1}])
        connection.execute(insert(tables.region).values(
            id="port-of-alaska", name="Port of Alaska", kind="site", iso_code=None, parent_id="anchorage",
            lat=61.2385833, lon=-149.8873056, external_id="GNS:-1234567", origin="import", **stamps))
        connection.execute(insert(tables.region_alias).values(region_id="port-of-alaska", alias="Port of Alaska",
                                                               position=0))
        connection.execute(insert(tables.region_ancestor), [
            {"region_id": "port-of-alaska", "ancestor_id": ancestor, "depth": depth}
            for depth, ancestor in enumerate(["port-of-alaska", "anchorage", "alaska", "united-states",
                                              "north-america"])])
        connection.execute(insert(tables.event).values(
            id="gdelt-1234567890", source_id=BRIEF, title="Putin and Trump meet", summary="Imported.",
            type="CONSULT", status="occurred", start_date=datetime(2025, 8, 15).date(),
            end_date=datetime(2025, 8, 15).date(), date_precision="day", location="Anchorage",
            attributes=ATTRIBUTES, origin="import", **stamps))
        connection.execute(insert(tables.event_actor), [
            {"event_id": "gdelt-1234567890", "actor_id": "kyiv-independent", "role": "initiator", "position": 0},
            {"event_id": "gdelt-1234567890", "actor_id": "vladimir-putin", "role": "target", "position": 1}])
        connection.execute(insert(tables.event_region).values(event_id="gdelt-1234567890",
                                                              region_id="port-of-alaska", position=0))
        connection.execute(insert(tables.event_quote).values(event_id="gdelt-1234567890",
                                                             quote_id="summit-details", position=0))
        connection.execute(insert(tables.figure).values(event_id="gdelt-1234567890", position=0, value=3.0,
                                                        unit="hours", text="roughly three hours",
                                                        span_start=342, span_end=361))
        connection.execute(insert(tables.change), [
            {"record_type": kind, "record_id": record_id, "op": "created", "changed_at": EDITED,
             "changed_by": "curator"}
            for kind, record_id in [("actor", "kyiv-independent"), ("region", "port-of-alaska"),
                                    ("event", "gdelt-1234567890")]])
        connection.execute(insert(tables.api_token).values(
            name="curator", scope="write", prefix="ge_abcd", salt="5" * 32, hash=TOKEN_HASH, created_at=CREATED))
        changes = Changes()
        for kind, record_id in [("actor", "kyiv-independent"), ("region", "port-of-alaska"),
                                ("event", "gdelt-1234567890")]:
            changes.record(kind, "created", [record_id])
        derived.refresh(connection, changes)


def comparable(engine: Engine) -> dict[str, list]:
    """Every table but the tokens, mentions without their generated ids, and the search index."""
    rows = snapshot(engine)
    del rows["api_token"]
    rows["mention"] = sorted(row[1:] for row in rows["mention"])
    columns = "kind, record_id, name, body" + (", name_terms, body_terms" if engine.dialect.name == "postgresql" else "")
    with engine.connect() as connection:
        rows["search_index"] = sorted(map(tuple, connection.execute(text(f"SELECT {columns} FROM search_index"))))
    return rows


def export_lines(url: str, tmp_path: Path, name: str) -> list[dict]:
    path = tmp_path / name
    result = CliRunner().invoke(main, ["export", "--database-url", url, "--output", str(path)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def import_file(url: str, path: Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["import", "jsonl", str(path), "--database-url", url])


@pytest.fixture
def exported(engine: Engine, database_url: str, tmp_path: Path) -> Path:
    """The seeded brief plus records seeding does not make, exported to a file."""
    seed(engine, [SEEDS])
    add_records_seeding_does_not_make(engine)
    result = CliRunner().invoke(main, ["export", "--database-url", database_url, "--output",
                                       str(tmp_path / "export.jsonl")])
    assert result.exit_code == 0, result.output
    assert result.stderr == ("exported 1 source(s), 23 actor(s), 22 region(s), 28 quote(s), 26 event(s), "
                             f"{SEED_CHANGES + 3} change(s)\n")
    return tmp_path / "export.jsonl"


@pytest.fixture
def empty_database(engine: Engine, tmp_path: Path) -> Engine:
    """A second, empty database of the same backend."""
    folder = tmp_path / "copy"
    folder.mkdir()
    url, drop = _new_database(engine.dialect.name, folder)
    copy = make_engine(url)
    yield copy
    copy.dispose()
    drop()


def test_export_format(exported: Path) -> None:
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    header = lines[0]
    assert {k: v for k, v in header.items() if k != "exported_at"} == {
        "type": "header", "format": "geoevents-jsonl", "version": 1, "schema_revision": HEAD_REVISION,
        "counts": {"source": 1, "actor": 23, "region": 22, "quote": 28, "event": 26, "change": SEED_CHANGES + 3}}
    types = [line["type"] for line in lines[1:]]
    assert types == ["source"] + ["actor"] * 23 + ["region"] * 22 + ["quote"] * 28 + ["event"] * 26 + \
        ["change"] * (SEED_CHANGES + 3)
    by_id = {(line["type"], line.get("id")): line for line in lines}
    assert by_id[("event", "gdelt-1234567890")] == {
        "type": "event", "id": "gdelt-1234567890", "source_id": BRIEF, "title": "Putin and Trump meet",
        "summary": "Imported.", "event_type": "CONSULT", "status": "occurred", "start_date": "2025-08-15",
        "end_date": "2025-08-15", "date_precision": "day", "location": "Anchorage", "attributes": ATTRIBUTES,
        "origin": "import", "created_at": "2026-03-01T12:30:15.123456Z", "updated_at": "2026-03-02T08:00:00.654321Z",
        "actors": [{"actor_id": "kyiv-independent", "role": "initiator"},
                   {"actor_id": "vladimir-putin", "role": "target"}],
        "regions": ["port-of-alaska"], "quotes": ["summit-details"],
        "figures": [{"value": 3.0, "unit": "hours", "text": "roughly three hours", "span_start": 342, "span_end": 361}]}
    assert by_id[("actor", "kyiv-independent")]["aliases"] == ["Kyiv Independent", "The Kyiv Independent"]
    assert by_id[("actor", "kyiv-independent")]["origin"] == "api"
    # A parent comes before its children, so a reader can stream the file.
    regions = [line["id"] for line in lines if line["type"] == "region"]
    for child, parent in [("port-of-alaska", "anchorage"), ("anchorage", "alaska"), ("alaska", "united-states")]:
        assert regions.index(parent) < regions.index(child)
    assert lines[-1] == {"type": "change", "seq": SEED_CHANGES + 3, "record_type": "event",
                         "record_id": "gdelt-1234567890", "op": "created", "changed_at": "2026-03-02T08:00:00.654321Z",
                         "changed_by": "curator"}
    # Tokens are never exported, not even their hashes.
    assert TOKEN_HASH not in exported.read_text(encoding="utf-8")


def test_round_trip_keeps_every_field(engine: Engine, exported: Path, empty_database: Engine) -> None:
    url = empty_database.url.render_as_string(hide_password=False)
    result = import_file(url, exported)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("imported 1 source(s), 23 actor(s), 22 region(s), 28 quote(s), 26 event(s), "
                             f"{SEED_CHANGES + 3} change(s)\n")
    assert comparable(empty_database) == comparable(engine)
    with empty_database.connect() as connection:
        tokens = connection.execute(select(func.count()).select_from(tables.api_token)).scalar_one()
    assert tokens == 0


@pytest.mark.parametrize(("origin", "target"), list(itertools.product(BACKENDS, BACKENDS)))
def test_round_trip_between_backends(origin: str, target: str, tmp_path: Path) -> None:
    urls, drops = {}, []
    for side, backend in (("origin", origin), ("target", target)):
        (tmp_path / side).mkdir()
        urls[side], drop = _new_database(backend, tmp_path / side)
        drops.append(drop)
    engines = {side: make_engine(url) for side, url in urls.items()}
    try:
        upgrade(engines["origin"])
        seed(engines["origin"], [SEEDS])
        add_records_seeding_does_not_make(engines["origin"])
        before = export_lines(urls["origin"], tmp_path, "origin.jsonl")
        assert import_file(urls["target"], tmp_path / "origin.jsonl").exit_code == 0
        after = export_lines(urls["target"], tmp_path, "target.jsonl")
        assert {**after[0], "exported_at": None} == {**before[0], "exported_at": None}
        assert sorted(map(json.dumps, after[1:])) == sorted(map(json.dumps, before[1:]))
        # The change feed goes on from the imported one: a seed's changes follow its last seq.
        seed(engines["target"], [write_copies(tmp_path / "more", 1)])
        with engines["target"].connect() as connection:
            seqs = connection.execute(select(tables.change.c.seq).order_by(tables.change.c.seq)).scalars().all()
        assert seqs == list(range(1, SEED_CHANGES + 3 + 1 + BRIEF_QUOTES + BRIEF_EVENTS + 1))
    finally:
        for engine in engines.values():
            engine.dispose()
        for drop in drops:
            drop()


def test_import_refuses_a_database_with_records(exported: Path, database_url: str) -> None:
    result = import_file(database_url, exported)
    assert result.exit_code == 1
    assert result.stderr == ("error: database: is not empty (1 source(s), 23 actor(s), 22 region(s), 28 quote(s), "
                             f"26 event(s), {SEED_CHANGES + 3} change(s)): an export is imported into a new, empty "
                             "database only\n1 problem(s); nothing was written.\n")


def test_export_to_standard_output(exported: Path, database_url: str) -> None:
    result = CliRunner().invoke(main, ["export", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.stdout_bytes.splitlines()]
    written = [json.loads(line) for line in exported.read_bytes().splitlines()]
    assert [{**printed[0], "exported_at": None}, *printed[1:]] == [{**written[0], "exported_at": None}, *written[1:]]


def test_export_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    missing, bare = tmp_path / "missing.db", tmp_path / "bare.db"
    sqlite3.connect(bare).close()
    for url, reason in [(f"sqlite:///{missing}", f"there is no SQLite database at {missing}"),
                        (f"sqlite:///{bare}", (f"the database has no geoevents schema, not {HEAD_REVISION}: run `geoevents db "
                                              "upgrade` first"))]:
        result = CliRunner().invoke(main, ["export", "--database-url", url, "--output", str(tmp_path / "out.jsonl")])
        assert (result.exit_code, result.stderr) == (1, f"error: {reason}\n")
    # Neither the missing database nor the output file was created.
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("bare.db")) == []
