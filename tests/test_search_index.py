"""Full-text search: the index itself, ranked() for joins, and the texts snippets are cut from.

Moved out of test_search.py, which covers the query language, snippets and the API.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, literal_column, select

from app.api.app import create_app
from app.database import make_engine
from app.importers.generate import generate
from app.loader import read_dataset, seed
from app.migrate import upgrade
from app.queries import fulltext, search
from app.queries.fulltext import KINDS, search_index
from app.queries.indexed_text import indexed_text
from app.queries.text import tokenize
from app.settings import Settings
from app.tables import event, quote
from tests.conftest import SEEDS
from tests.helpers import load_rows_directly

BRIEF = "2025-08-15-putin-trump-alaska-summit"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


# ranked(): every hit once, scored as relevance() scores it, to be joined


@pytest.mark.parametrize(("kind", "table", "q"), [("quote", quote, "peace"), ("event", event, "putin"),
                                                  ("event", event, '"peace deal" trump')])
def test_ranked_holds_every_hit_once_with_its_relevance(seeded_engine: Engine, kind, table, q):
    ranked = fulltext.ranked(kind, q)
    with seeded_engine.connect() as connection:
        joined = select(table.c.id, ranked.c.score).join(ranked, ranked.c.id == table.c.id)
        scores = dict(connection.execute(joined).all())
        matching = select(table.c.id, fulltext.relevance(kind, table.c.id, q)).where(
            fulltext.matches(kind, table.c.id, q)
        )
        expected = dict(connection.execute(matching).all())
        assert len(connection.execute(select(ranked.c.id)).all()) == len(expected) > 1
    assert scores == pytest.approx(expected)
    assert all(score > 0 for score in scores.values())


def test_ranked_orders_quotes_as_sort_relevance_does(client, seeded_database: str):
    ranked = fulltext.ranked("quote", "peace")
    engine = make_engine(seeded_database)
    with engine.connect() as connection:
        best_first = select(ranked.c.id).order_by(ranked.c.score.desc(), ranked.c.id)
        by_ranked = list(connection.execute(best_first).scalars())
    engine.dispose()
    assert by_ranked == ids(client.get("/api/v1/quotes", params={"q": "peace", "sort": "relevance"}))


def test_snippet_texts_are_what_the_index_holds(seeded_engine: Engine):
    # Snippets are cut from the records' own rows; they must be the indexed name and body.
    with seeded_engine.connect() as connection:
        for kind in KINDS:
            rows = select(search_index.c.record_id, search_index.c.name, search_index.c.body).where(
                search_index.c.kind == kind
            )
            indexed = {record_id: (name, body) for record_id, name, body in connection.execute(rows)}
            assert indexed_text(connection, kind, sorted(indexed)) == indexed, kind
        assert indexed_text(connection, "event", ["no-such-event"]) == {}


# The index itself


def test_the_index_holds_one_entry_per_record(seeded_engine: Engine):
    with seeded_engine.connect() as connection:
        query = select(search_index.c.kind, func.count()).group_by(search_index.c.kind)
        assert dict(connection.execute(query).all()) == {"event": 25, "quote": 28, "actor": 22, "region": 21}


def _client(engine: Engine) -> TestClient:
    return TestClient(create_app(Settings(database_url=engine.url.render_as_string(hide_password=False))))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_index_follows_a_reseed(seeded_engine: Engine, tmp_path: Path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    coding, text = seeds / f"{BRIEF}.yaml", seeds / f"{BRIEF}.txt"
    with _client(seeded_engine) as client:
        assert ids(client.get("/api/v1/events", params={"q": "imperial"})) == ["world-war-one"]
        assert ids(client.get("/api/v1/events", params={"q": "zurich"})) == []
    # A new word in a title; a quote whose text changes (its events' codings do not); an event dropped.
    _edit(coding, "title: The 12-day war\n", "title: The 12-day war, seen from Zürich\n")
    for path in (coding, text):
        _edit(path, "“SMO” shrank Russia’s", "“SMO” throttled Russia’s")
    coding.write_text(coding.read_text(encoding="utf-8").split("\n  - id: world-war-one\n")[0] + "\n", encoding="utf-8")
    seed(seeded_engine, [seeds])
    with _client(seeded_engine) as client:
        body = client.get("/api/v1/events", params={"q": "ZURICH"}).json()
        assert [e["id"] for e in body["data"]] == ["twelve-day-war"]
        assert body["data"][0]["match"] == {"field": "title", "snippet": "The 12-day war, seen from Zürich",
                                            "offsets": [[26, 32]]}
        assert ids(client.get("/api/v1/events", params={"q": "throttled", "sort": "id"})) == [
            "russian-war-in-ukraine",
            "sanctions-on-russia",
        ]
        assert ids(client.get("/api/v1/quotes", params={"q": "shrank"})) == []
        assert ids(client.get("/api/v1/events", params={"q": "imperial"})) == []
    with seeded_engine.connect() as connection:
        count = select(func.count()).select_from(search_index).where(search_index.c.kind == "event")
        assert connection.execute(count).scalar_one() == 24


def test_the_migration_indexes_records_loaded_before_it(database_url: str):
    engine = make_engine(database_url)
    upgrade(engine, "0002")
    load_rows_directly(engine, read_dataset([SEEDS]))
    upgrade(engine)
    with _client(engine) as client:
        assert ids(client.get("/api/v1/actors", params={"q": "zel"})) == ["volodymyr-zelenskyy"]
        assert ids(client.get("/api/v1/events", params={"q": "slaughter"})) == ["putin-trump-alaska-summit"]
    engine.dispose()


def test_words_are_split_and_folded_as_sqlite_does():
    # PostgreSQL indexes the words app.queries.text produces: they must be SQLite's words.
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    database.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    samples = [
        (SEEDS / f"{BRIEF}.txt").read_text(encoding="utf-8"),
        "Zürich, Kraków, Besançon, Øresund, Straße, İstanbul, Ǖ, ŉ, ǆ — naïve «ÉTÉ»",
        "Ελληνικά ΆΈΉ ς, Москва́ Київ, e\u0301 a\u0327 x\u20dd y, 12½ ⅷ",
    ]
    for sample in samples:
        database.execute("DELETE FROM t")
        database.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (sample,))
        expected = [term for (term,) in database.execute("SELECT term FROM v ORDER BY offset")]
        assert [token.folded for token in tokenize(sample)] == expected


# Row ids on SQLite: a range per kind, so a kind's hits are found without reading their rows


def _rowids(engine: Engine) -> dict[tuple[str, str], int]:
    """(kind, record id) -> row id of every SQLite index row, each checked to lie in its kind's range."""
    rowid = literal_column("search_index.rowid")
    with engine.connect() as connection:
        rows = connection.execute(
            select(rowid, search_index.c.kind, search_index.c.record_id).select_from(search_index)
        )
        found = {(kind, record_id): number for number, kind, record_id in rows}
    for (kind, record_id), number in found.items():
        first, last = fulltext.rowid_range(kind)
        assert first < number <= last, (kind, record_id, number)
    return found


# Row ids are SQLite's: these run on SQLite only (the database fixtures take the backend).
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@sqlite_only
def test_a_reseed_keeps_row_ids_and_numbers_new_records_on(seeded_engine: Engine, tmp_path: Path):
    before = _rowids(seeded_engine)
    first = fulltext.rowid_range("event")[0]
    assert sorted(n for (kind, _), n in before.items() if kind == "event") == list(range(first + 1, first + 26))
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    coding = seeds / f"{BRIEF}.yaml"
    _edit(coding, "title: The 12-day war\n", "title: The 12-day war, seen from Zürich\n")
    text = coding.read_text(encoding="utf-8")
    old_war = text.split("\n  - id: world-war-one\n")[1].split("\n  - id: ")[0]
    coding.write_text(text.replace("\n  - id: world-war-one\n", "\n  - id: world-war-one-again\n"), encoding="utf-8")
    assert old_war
    seed(seeded_engine, [seeds])
    after = _rowids(seeded_engine)
    assert after[("event", "twelve-day-war")] == before[("event", "twelve-day-war")]
    assert ("event", "world-war-one") not in after
    assert after[("event", "world-war-one-again")] == max(n for (kind, _), n in before.items() if kind == "event") + 1
    assert {k: n for k, n in after.items() if k[1] != "world-war-one-again"} == {
        k: n for k, n in before.items() if k[1] != "world-war-one"
    }
    with _client(seeded_engine) as client:
        assert ids(client.get("/api/v1/events", params={"q": "zurich"})) == ["twelve-day-war"]
        body = client.get("/api/v1/search", params={"q": "imperial"}).json()
        assert [hit["id"] for hit in body["data"]["events"]] == ["world-war-one-again"]


@sqlite_only
def test_imports_number_new_records_after_the_last_and_keep_updated_ones(engine: Engine):
    generate(engine, 60, 1, progress=False)
    before = _rowids(engine)
    generate(engine, 80, 2, progress=False)  # other texts for the first 60 events, 20 new ones
    after = _rowids(engine)
    assert {k: after[k] for k in before if k in after} == {k: n for k, n in before.items() if k in after}
    for kind in KINDS:
        old = [n for (k, _), n in before.items() if k == kind]
        new = sorted(n for key, n in after.items() if key[0] == kind and key not in before)
        assert new == list(range(max(old) + 1, max(old) + 1 + len(new))), kind
    assert len([key for key in after if key[0] == "event" and key not in before]) == 20


def test_the_migration_numbers_index_rows_by_kind(database_url: str):
    engine = make_engine(database_url)
    upgrade(engine, "0005")
    seed(engine, [SEEDS])
    with _client(engine) as client:
        expected = {q: client.get("/api/v1/search", params={"q": q}).json() for q in ("putin", "peace", "rus")}
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            # Number the rows as before 0006: one sequence, kinds interleaved.
            connection.exec_driver_sql("UPDATE search_index SET rowid = -rowid")
            connection.exec_driver_sql(
                "UPDATE search_index SET rowid = (SELECT count(*) FROM search_index AS s "
                "WHERE s.record_id || s.kind <= search_index.record_id || search_index.kind)"
            )
    upgrade(engine)
    with _client(engine) as client:
        for q, body in expected.items():
            assert client.get("/api/v1/search", params={"q": q}).json() == body
    if engine.dialect.name == "sqlite":
        numbers = _rowids(engine)
        for kind in KINDS:
            first = fulltext.rowid_range(kind)[0]
            mine = sorted(n for (k, _), n in numbers.items() if k == kind)
            assert mine == list(range(first + 1, first + 1 + len(mine))), kind
        assert len(numbers) == 96
    engine.dispose()



@sqlite_only
@pytest.mark.parametrize("window", [256, 1])
def test_search_by_rowid_ranges_ranks_as_one_statement_by_kind_does(engine: Engine, monkeypatch, window):
    # Generated records share their wording, so many hits tie: a window of 4 scores
    # overflows, and those kinds are ranked again among the hits scoring at least the last shown.
    generate(engine, 400, 11, progress=False)
    monkeypatch.setattr(search, "_WINDOW", window)
    ranked_again = []
    monkeypatch.setattr(search, "_best_at_least", lambda *a: ranked_again.append(a[1]) or _best_at_least(*a))
    with engine.connect() as connection:
        for q in ("sanctions", "a", "of", "kuzu", "ru", "zai", '"no such words"'):
            for limit in (1, 3, 50):
                expected = search._best_by_kind(connection, q, limit)
                assert search._best_by_rowid_ranges(connection, q, limit) == expected, (q, limit)
    assert bool(ranked_again) == (window == 1)


_best_at_least = search._best_at_least
