"""Full-text search: the index itself, ranked() for joins, and the texts snippets are cut from.

Moved out of test_search.py, which covers the query language, snippets and the API.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from app.api.app import create_app
from app.database import make_engine
from app.loader import read_dataset, seed
from app.migrate import upgrade
from app.queries import fulltext
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
