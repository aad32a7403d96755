"""Provenance: mentions of actors and regions and the annotated source, with exact offsets.

Expected offsets were computed from the .txt with str.find and a word-bounded regex
(python3 -c), independently of the implementation.
"""

import shutil
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, event, func, select

from app import tables
from app.api.app import create_app
from app.loader import seed
from app.loader.mentions import Found, find_mentions
from app.queries.mentions import context
from app.settings import Settings
from tests.conftest import SEEDS

BRIEF = "2025-08-15-putin-trump-alaska-summit"
TITLE = "Putin and Trump Met in Alaska to Broker Ceasefire"
TEXT = (SEEDS / f"{BRIEF}.txt").read_bytes().decode("utf-8")
SOURCE_REF = {"id": BRIEF, "title": TITLE}
SOURCE_LINK = {"source": f"/api/v1/sources/{BRIEF}"}

PUTIN = [("Putin", 0, 5), ("Putin", 51, 56), ("Putin", 185, 190), ("Vladimir Putin", 302, 316),
         ("Putin", 711, 716), ("Putin", 829, 834), ("Putin", 2964, 2969)]
RUSSIA_WORD = [136, 1169, 1213, 1727, 1861, 2260, 2383, 2574]  # "Russia", never "Russian" (1557, 3521)
MOSCOW = [1310, 1641]
SILUANOV_SENTENCE = (
    "Spheres of influence are to be decided behind closed doors, with Russian businessmen such as "
    "Finance Minister Anton Siluanov and sovereign wealth fund chief Kirill Dmitriev present to "
    "safeguard elite economic interests."
)


def spans(body: dict) -> list[tuple[str, int, int]]:
    return [(m["alias"], m["span"]["start"], m["span"]["end"]) for m in body["data"]]


def all_pages(client: TestClient, url: str, **params) -> tuple[list[dict], int]:
    """Every item of a list, following links.next, and how many pages it took."""
    items, pages, response = [], 0, client.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        pages += 1
        items += response.json()["data"]
        if response.json()["links"]["next"] is None:
            return items, pages
        response = client.get(response.json()["links"]["next"])


# Mentions of one actor or region.


def test_putin_is_mentioned_seven_times_with_the_long_alias_once(client):
    body = client.get("/api/v1/actors/vladimir-putin/mentions").json()
    assert spans(body) == PUTIN
    for alias, start, end in spans(body):
        assert TEXT[start:end] == alias
    assert body["data"][3] == {
        "source": SOURCE_REF,
        "alias": "Vladimir Putin",
        "span": {"start": 302, "end": 316},
        "context": {
            "text": "On August 15, 2025, Presidents Vladimir Putin and Donald Trump met for roughly three hours "
            "at Joint Base Elmendorf-Richardson in Anchorage, joined by top aides.",
            "offset": 31,
        },
        "links": SOURCE_LINK,
    }


def test_russian_is_not_a_mention_of_russia(client):
    region = spans(client.get("/api/v1/regions/russia/mentions").json())
    assert region == [("Russia", start, start + 6) for start in RUSSIA_WORD]
    assert TEXT[1557:1564] == TEXT[3521:3528] == "Russian"
    # "Russia’s" is a mention: the curly apostrophe does not continue the word.
    assert TEXT[136:144] == "Russia’s"


def test_moscow_mentions_the_actor_russia_not_the_region(client):
    actor = spans(client.get("/api/v1/actors/russia/mentions").json())
    expected = sorted([("Russia", s, s + 6) for s in RUSSIA_WORD] + [("Moscow", s, s + 6) for s in MOSCOW],
                      key=lambda m: m[1])
    assert actor == expected
    assert len(actor) == 10


def test_finance_minister_is_one_mention_with_the_long_alias(client):
    body = client.get("/api/v1/actors/anton-siluanov/mentions").json()
    assert body["data"] == [
        {
            "source": SOURCE_REF,
            "alias": "Finance Minister Anton Siluanov",
            "span": {"start": 3549, "end": 3580},
            "context": {"text": SILUANOV_SENTENCE, "offset": 93},
            "links": SOURCE_LINK,
        }
    ]


def test_middle_east_region_mentions_with_their_sentences(client):
    body = client.get("/api/v1/regions/middle-east/mentions").json()
    assert spans(body) == [("Middle East", 172, 183), ("Middle East", 1678, 1689), ("Middle East", 3135, 3146)]
    contexts = [m["context"] for m in body["data"]]
    assert contexts[1] == {
        "text": "In Syria, the collapse of the Assad government eliminated one of Moscow’s last major footholds "
        "in the Middle East.",
        "offset": 102,
    }
    assert contexts[2]["text"].startswith("In 1916, Britain and France secretly concluded the Sykes-Picot Agreement")
    assert contexts[2]["offset"] == 87


def test_case_sensitive_us_and_bullets_left_out_of_context(client):
    # "US" twice; the lower-case word "us" (as in "business") never matches.
    assert spans(client.get("/api/v1/regions/united-states/mentions").json()) == [("US", 2379, 2381), ("US", 2460, 2462)]
    actor = spans(client.get("/api/v1/actors/united-states/mentions").json())
    assert actor == [("US", 2379, 2381), ("US", 2460, 2462), ("Washington", 2631, 2641)]
    offer = client.get("/api/v1/actors/vladimir-putin/mentions").json()["data"][4]["context"]
    assert offer == {
        "text": "Putin proposed freezing the current front lines if Ukraine ceded control of Donetsk, "
        "an offer Zelenskyy rejected.",
        "offset": 0,
    }


def test_every_context_holds_its_alias_at_its_offset(client):
    for path in ("/api/v1/actors/russia/mentions", "/api/v1/actors/iran/mentions", "/api/v1/regions/china/mentions"):
        for item in client.get(path).json()["data"]:
            offset = item["context"]["offset"]
            assert item["context"]["text"][offset:offset + len(item["alias"])] == item["alias"]
    moscow = client.get("/api/v1/actors/russia/mentions").json()["data"][3]
    assert moscow["context"] == {
        "text": "During the “12-day war,” Moscow was unable to provide direct material support to its ally Iran, "
        "and Tehran’s influence in the region has been weakened as it became cut off from its proxies.",
        "offset": 25,
    }


def test_pagination_walks_every_mention_once(client):
    everything = client.get("/api/v1/actors/russia/mentions", params={"limit": 500}).json()["data"]
    walked, pages = all_pages(client, "/api/v1/actors/russia/mentions", limit=3)
    assert pages == 4
    assert walked == everything
    first = client.get("/api/v1/actors/russia/mentions", params={"limit": 3, "count": "true"}).json()
    assert first["meta"]["total"] == 10
    assert spans(first) == [("Russia", 136, 142), ("Russia", 1169, 1175), ("Russia", 1213, 1219)]


def test_cursor_of_another_target_is_refused(client):
    cursor = client.get("/api/v1/actors/russia/mentions", params={"limit": 3}).json()["meta"]["next_cursor"]
    response = client.get("/api/v1/actors/china/mentions", params={"limit": 3, "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-cursor"


def test_source_and_updated_since_filters(client):
    url = "/api/v1/actors/vladimir-putin/mentions"
    assert spans(client.get(url, params={"source": BRIEF}).json()) == PUTIN
    assert client.get(url, params={"source": "another-brief"}).json()["data"] == []
    assert spans(client.get(url, params={"updated_since": "2000-01-01T00:00:00Z"}).json()) == PUTIN
    assert client.get(url, params={"updated_since": "2999-01-01T00:00:00Z"}).json()["data"] == []


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/v1/actors/nope/mentions", "No actor with id 'nope'."),
        ("/api/v1/regions/nope/mentions", "No region with id 'nope'."),
        ("/api/v1/sources/nope", "No source with id 'nope'."),
    ],
)
def test_unknown_ids_are_404_problems(client, path, detail):
    response = client.get(path, params={"annotate": "true"} if "sources" in path else {})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        ("/api/v1/actors/russia/mentions", {"sourse": BRIEF}, "query.sourse: Extra inputs are not permitted"),
        ("/api/v1/regions/russia/mentions", {"source": "Not An Id"},
         "query.source.0: String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'"),
        (f"/api/v1/sources/{BRIEF}", {"annotat": "true"}, "query.annotat: Extra inputs are not permitted"),
        (f"/api/v1/sources/{BRIEF}", {"annotate": "maybe"},
         "query.annotate: Input should be a valid boolean, unable to interpret input"),
    ],
)
def test_bad_parameters_are_422_problems(client, path, params, detail):
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["detail"] == detail


# The annotated source.


def _coded_quotes() -> list[dict]:
    """The coding's quotes with offsets found by str.find, in document order."""
    coding = yaml.safe_load((SEEDS / f"{BRIEF}.yaml").read_text(encoding="utf-8"))
    reference = yaml.safe_load((SEEDS / "reference.yaml").read_text(encoding="utf-8"))
    names = {a["id"]: a["name"] for a in reference["actors"]}
    quotes = []
    for q in coding["quotes"]:
        assert TEXT.count(q["text"]) == 1
        start = TEXT.find(q["text"])
        speaker = {"id": q["speaker"], "name": names[q["speaker"]]} if q.get("speaker") else None
        quotes.append({"id": q["id"], "kind": q["kind"], "speaker": speaker,
                       "span": {"start": start, "end": start + len(q["text"])}})
    return sorted(quotes, key=lambda q: q["span"]["start"])


def test_annotated_source_lists_the_28_quotes_in_document_order(client):
    body = client.get(f"/api/v1/sources/{BRIEF}", params={"annotate": "true"}).json()
    quotes = body["annotations"]["quotes"]
    assert len(quotes) == 28
    assert quotes == _coded_quotes()
    assert quotes[0]["id"] == "lead-no-agreement"
    assert quotes[6] == {"id": "putin-secret-negotiations-statement", "kind": "statement",
                         "speaker": {"id": "vladimir-putin", "name": "Vladimir Putin"},
                         "span": {"start": 899, "end": 1082}}


def test_annotated_source_mentions(client):
    body = client.get(f"/api/v1/sources/{BRIEF}", params={"annotate": "true"}).json()
    found = body["annotations"]["mentions"]
    assert len(found) == 88
    starts = [m["span"]["start"] for m in found]
    assert starts == sorted(starts)
    for m in found:
        assert body["text"][m["span"]["start"]:m["span"]["end"]] == m["alias"]
    # An actor and a region named by the same word both get their mention, actor first.
    assert found[6:8] == [
        {"type": "actor", "id": "russia", "name": "Russia", "alias": "Russia", "span": {"start": 136, "end": 142}},
        {"type": "region", "id": "russia", "name": "Russia", "alias": "Russia", "span": {"start": 136, "end": 142}},
    ]
    assert found[8] == {"type": "region", "id": "middle-east", "name": "Middle East", "alias": "Middle East",
                        "span": {"start": 172, "end": 183}}
    assert [m for m in found if m["id"] == "anton-siluanov"] == [
        {"type": "actor", "id": "anton-siluanov", "name": "Anton Siluanov",
         "alias": "Finance Minister Anton Siluanov", "span": {"start": 3549, "end": 3580}}
    ]
    assert sum(1 for m in found if m["type"] == "region") == 34


def test_annotate_false_is_the_plain_detail(client):
    plain = client.get(f"/api/v1/sources/{BRIEF}").json()
    assert "annotations" not in plain
    assert client.get(f"/api/v1/sources/{BRIEF}", params={"annotate": "false"}).json() == plain


@pytest.fixture
def statements(client):
    executed: list[str] = []
    engine = client.app.state.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        # The data-version lookup (FROM change) belongs to the caching layer, not the route.
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "ROLLBACK", "COMMIT")) \
                and "FROM change" not in statement:
            executed.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield executed
    event.remove(engine, "before_cursor_execute", record)


def test_statement_counts_do_not_grow_with_the_page(client, statements):
    for limit in (1, 20):
        statements.clear()
        assert client.get("/api/v1/actors/russia/mentions", params={"limit": limit}).status_code == 200
        assert len(statements) == 3, statements  # actor exists, page, source texts
    statements.clear()
    assert client.get(f"/api/v1/sources/{BRIEF}", params={"annotate": "true"}).status_code == 200
    assert len(statements) == 3, statements  # source, quotes, mentions


# Mentions follow the data.


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert text.count(old) == 1
    path.write_bytes(text.replace(old, new).encode("utf-8"))


def _mentions(engine: Engine, column, target: str) -> list[tuple[str, int, int]]:
    query = (select(tables.mention.c.alias, tables.mention.c.span_start, tables.mention.c.span_end)
             .where(column == target).order_by(tables.mention.c.span_start))
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def _ids(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(select(tables.mention.c.id).order_by(tables.mention.c.id)).scalars())


def test_new_alias_in_the_reference_adds_mentions(seeded_engine, seeds):
    assert _mentions(seeded_engine, tables.mention.c.actor_id, "russia") == sorted(
        [("Russia", s, s + 6) for s in RUSSIA_WORD] + [("Moscow", s, s + 6) for s in MOSCOW], key=lambda m: m[1])
    _edit(seeds / "reference.yaml", "aliases: [Russia, Moscow]", "aliases: [Russia, Moscow, Russian]")
    seed(seeded_engine, [seeds])
    with_russian = _mentions(seeded_engine, tables.mention.c.actor_id, "russia")
    assert len(with_russian) == 12
    assert [m for m in with_russian if m[0] == "Russian"] == [("Russian", 1557, 1564), ("Russian", 3521, 3528)]
    # The region keeps its own aliases, so its mentions do not change.
    assert _mentions(seeded_engine, tables.mention.c.region_id, "russia") == [("Russia", s, s + 6) for s in RUSSIA_WORD]
    with TestClient(create_app(Settings(database_url=seeded_engine.url.render_as_string(hide_password=False)))) as api:
        assert api.get("/api/v1/actors/russia/mentions", params={"count": "true"}).json()["meta"]["total"] == 12


def test_changed_text_recomputes_its_mentions(seeded_engine, seeds):
    # Appended after the last quote, so every quote keeps its offsets.
    _edit(seeds / f"{BRIEF}.txt", "to the slaughter.", "to the slaughter.\n\nWashington met Moscow.")
    tally = seed(seeded_engine, [seeds])
    assert tally["source"]["updated"] == 1 and tally["actor"]["updated"] == 0
    assert _mentions(seeded_engine, tables.mention.c.actor_id, "united-states")[-1] == ("Washington", 3885, 3895)
    assert _mentions(seeded_engine, tables.mention.c.actor_id, "russia")[-1] == ("Moscow", 3900, 3906)
    with seeded_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(tables.mention)).scalar_one() == 90


def test_unchanged_reseed_keeps_the_mention_rows(seeded_engine):
    before = _ids(seeded_engine)
    assert len(before) == 88
    seed(seeded_engine, [SEEDS])
    assert _ids(seeded_engine) == before


def test_deleted_source_loses_its_mentions(seeded_engine):
    with seeded_engine.begin() as connection:
        connection.execute(delete(tables.source).where(tables.source.c.id == BRIEF))
    assert _ids(seeded_engine) == []


# The matching and context rules on their own.


def test_matching_rules():
    aliases = {("actor", "us"): ["US"], ("actor", "ru"): ["Russia", "Moscow"], ("region", "ru"): ["Russia"],
               ("actor", "fm"): ["Anton Siluanov", "Finance Minister Anton Siluanov", "Siluanov"]}
    text = "Trust us: Russia’s Russian US-Moscow talks; Finance Minister Anton Siluanov. USD"
    assert find_mentions(text, aliases) == [
        Found(10, 16, "actor", "ru", "Russia"),
        Found(10, 16, "region", "ru", "Russia"),
        Found(27, 29, "actor", "us", "US"),
        Found(30, 36, "actor", "ru", "Moscow"),
        Found(44, 75, "actor", "fm", "Finance Minister Anton Siluanov"),
    ]


def test_long_sentence_context_is_a_window_of_whole_words():
    text = "Lead " + "abcdef " * 30 + "Target" + " uvwxyz" * 30 + "."
    start = text.find("Target")
    assert start == 215
    assert context(text, start, start + 6) == {"text": "abcdef " * 11 + "Target" + " uvwxyz" * 11, "offset": 77}
