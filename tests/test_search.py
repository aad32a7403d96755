"""Full-text search: the query language, relevance, snippets and /search, on both backends.

The index itself and ranked() are in test_search_index.py.

Expected snippets and offsets were computed from the seed files with plain string
operations, not with the code under test.
"""

import pytest
from sqlalchemy import event

PEACE_QUOTES_IN_DOCUMENT_ORDER = [
    "lead-no-agreement",
    "no-ceasefire-announced",
    "talks-no-genuine-peace",
    "peace-initiatives-preparations",
    "negotiations-serve-capital",
]
# bm25 (SQLite) and ts_rank_cd (PostgreSQL) agree: one match each, so the shorter quote wins.
PEACE_QUOTES_BY_RELEVANCE = [
    "peace-initiatives-preparations",
    "no-ceasefire-announced",
    "talks-no-genuine-peace",
    "lead-no-agreement",
    "negotiations-serve-capital",
]


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


# Matching


def test_actor_names_match_by_prefix(client):
    body = client.get("/api/v1/actors", params={"q": "zel"}).json()
    assert [a["id"] for a in body["data"]] == ["volodymyr-zelenskyy"]
    assert body["data"][0]["match"] == {"field": "name", "snippet": "Volodymyr Zelenskyy", "offsets": [[10, 19]]}
    assert ids(client.get("/api/v1/actors", params={"q": "vol zel"})) == ["volodymyr-zelenskyy"]
    assert ids(client.get("/api/v1/regions", params={"q": "anch"})) == ["anchorage"]


def test_an_alias_finds_its_actor(client):
    body = client.get("/api/v1/actors", params={"q": "moscow"}).json()
    assert [a["id"] for a in body["data"]] == ["russia"]
    assert body["data"][0]["match"] == {"field": "alias", "snippet": "Moscow", "offsets": [[0, 6]]}


def test_quotes_match_whole_words_unless_a_star_asks_for_a_prefix(client):
    assert ids(client.get("/api/v1/quotes", params={"q": "sanct"})) == []
    assert ids(client.get("/api/v1/quotes", params={"q": "sanct*"})) == [
        "sanctions-shrank-exports",
        "trump-pressure-tariffs-sanctions",
        "russia-seeks-rapprochement",
    ]


def test_a_phrase_matches_its_words_in_order(client):
    quote = "No ceasefire was announced. Instead, Trump shifted from demanding an immediate halt to fighting " \
            "to framing the discussions around a broader “peace deal.”"
    body = client.get("/api/v1/quotes", params={"q": '"peace deal"'}).json()
    assert [q["id"] for q in body["data"]] == ["no-ceasefire-announced"]
    snippet = "…" + quote[quote.index("announced") :]
    assert body["data"][0]["match"] == {"field": "text", "snippet": snippet, "offsets": [[125, 135]]}
    assert snippet[125:135] == "peace deal"
    assert ids(client.get("/api/v1/quotes", params={"q": '"deal peace"'})) == []
    assert ids(client.get("/api/v1/quotes", params={"q": "deal peace"})) == ["no-ceasefire-announced"]
    # Title, summary or evidence: the three events whose evidence is that quote.
    assert ids(client.get("/api/v1/events", params={"q": '"peace deal"', "sort": "id"})) == [
        "putin-trump-alaska-summit",
        "trump-demands-immediate-ceasefire",
        "trump-reframes-talks-as-peace-deal",
    ]


def test_punctuation_inside_a_word_makes_a_phrase(client):
    body = client.get("/api/v1/quotes", params={"q": "sykes-picot"}).json()
    assert [q["id"] for q in body["data"]] == ["sykes-picot-concluded"]
    match = body["data"][0]["match"]
    assert match["snippet"] == (
        "In 1916, Britain and France secretly concluded the Sykes-Picot Agreement, dividing the Middle East "
        "into colonial spheres of influence…"
    )
    assert match["offsets"] == [[51, 62]]
    assert match["snippet"][51:62] == "Sykes-Picot"


def test_a_word_only_in_the_evidence_finds_the_event(client):
    # "slaughter" is in no title or summary, only in a quote that evidences the summit.
    body = client.get("/api/v1/events", params={"q": "slaughter"}).json()
    assert [e["id"] for e in body["data"]] == ["putin-trump-alaska-summit"]
    snippet = (
        "…classes, not in the interests of peace or working people, whom they are otherwise happy to send to the "
        "slaughter."
    )
    assert body["data"][0]["match"] == {"field": "evidence", "snippet": snippet, "offsets": [[104, 113]]}
    assert snippet[104:113] == "slaughter"


def test_case_and_diacritics_are_folded(client):
    for q in ("ZELÉNSKYY", "Zelenskyy", "zelénskyy"):
        assert ids(client.get("/api/v1/actors", params={"q": q})) == ["volodymyr-zelenskyy"], q
    assert ids(client.get("/api/v1/quotes", params={"q": "SYKES"})) == ["sykes-picot-concluded"]
    assert ids(client.get("/api/v1/regions", params={"q": "ÀNCHÖRAGE"})) == ["anchorage"]


def test_every_word_must_match(client):
    assert ids(client.get("/api/v1/events", params={"q": "putin zelenskyy", "sort": "id"})) == [
        "putin-offers-front-line-freeze",
        "zelenskyy-rejects-donetsk-offer",
    ]
    assert ids(client.get("/api/v1/events", params={"q": "putin tariffs"})) == []
    assert ids(client.get("/api/v1/actors", params={"q": "russia moscow"})) == ["russia"]
    assert ids(client.get("/api/v1/actors", params={"q": "russia beijing"})) == []


# Snippets


def test_a_snippet_is_cut_at_both_ends_around_the_match(client):
    body = client.get("/api/v1/quotes", params={"q": "colonial"}).json()
    match = body["data"][0]["match"]
    assert match == {
        "field": "text",
        "snippet": "…Sykes-Picot Agreement, dividing the Middle East into colonial spheres of influence without the "
        "knowledge or consent of the peoples…",
        "offsets": [[54, 62]],
    }
    assert match["snippet"][54:62] == "colonial"


def test_every_match_in_the_snippet_has_its_offsets(client):
    params = {"q": "china", "event": "russia-china-trade-record-2023"}
    (quote,) = client.get("/api/v1/quotes", params=params).json()["data"]
    snippet = "In response, trade with China surged to a record $240 billion in 2023, with China now supplying about 40% of…"
    assert quote["match"] == {"field": "text", "snippet": snippet, "offsets": [[24, 29], [76, 81]]}
    assert [snippet[s:e] for s, e in quote["match"]["offsets"]] == ["China", "China"]


def test_no_match_member_without_a_search(client):
    assert "match" not in client.get("/api/v1/actors", params={"limit": 1}).json()["data"][0]
    assert "match" not in client.get("/api/v1/quotes", params={"limit": 1}).json()["data"][0]
    assert "match" not in client.get("/api/v1/regions", params={"limit": 1}).json()["data"][0]


# Sorting and paging


def test_quotes_by_relevance(client):
    assert ids(client.get("/api/v1/quotes", params={"q": "peace"})) == PEACE_QUOTES_IN_DOCUMENT_ORDER
    assert ids(client.get("/api/v1/quotes", params={"q": "peace", "sort": "relevance"})) == PEACE_QUOTES_BY_RELEVANCE


def _walk(client, path: str, params: dict) -> list[str]:
    seen: list[str] = []
    response = client.get(path, params=params)
    while True:
        seen += ids(response)
        next_link = response.json()["links"]["next"]
        if next_link is None:
            return seen
        response = client.get(next_link)


def test_relevance_cursors_page_through_every_hit_once(client):
    assert _walk(client, "/api/v1/quotes", {"q": "peace", "sort": "relevance", "limit": 2}) == PEACE_QUOTES_BY_RELEVANCE
    # Ties (every region scores the same on a one-letter prefix) go by name, across pages.
    assert _walk(client, "/api/v1/regions", {"q": "a", "sort": "relevance", "limit": 4}) == [
        "alaska", "anchorage", "armenia", "east-asia", "north-america", "south-asia",
    ]


def test_actor_and_region_sorts(client):
    assert ids(client.get("/api/v1/actors", params={"q": "russia", "sort": "relevance"})) == [
        "russia",
        "russian-sovereign-wealth-fund",
    ]
    assert ids(client.get("/api/v1/actors", params={"q": "russia", "sort": "-name"})) == [
        "russian-sovereign-wealth-fund",
        "russia",
    ]
    assert ids(client.get("/api/v1/regions", params={"kind": "world_region", "sort": "-name", "limit": 2})) == [
        "south-asia",
        "north-america",
    ]


@pytest.mark.parametrize("path", ["/api/v1/actors", "/api/v1/regions", "/api/v1/quotes"])
def test_relevance_needs_a_search(client, path):
    body = problem(client.get(path, params={"sort": "relevance"}), 422)
    assert body["detail"] == "query.sort: sorting by relevance needs a search: add q"
    assert body["errors"] == [{"location": "query.sort", "message": "sorting by relevance needs a search: add q"}]


def test_unknown_sort_is_refused(client):
    body = problem(client.get("/api/v1/quotes", params={"sort": "name"}), 422)
    assert body["errors"][0]["location"] == "query.sort"
    assert body["errors"][0]["message"] == "Input should be 'document' or 'relevance'"


def _statements(client, path: str, params: dict) -> list[str]:
    executed: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        executed.append(statement)

    engine = client.app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path, params=params).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return executed


@pytest.mark.parametrize(("path", "q"), [("/api/v1/quotes", "peace"), ("/api/v1/search", "putin")])
def test_a_search_reads_the_index_once_whatever_the_page_size(client, path, q):
    counts = []
    # On SQLite /search reads the best scores, then the ids of the shown hits by row id.
    reads = 2 if path == "/api/v1/search" and client.app.state.engine.dialect.name == "sqlite" else 1
    for limit in (1, 5):
        executed = _statements(client, path, {"q": q, "limit": limit})
        # The page (or the ranking) reads the index; snippets come from the hits' own rows.
        assert sum("search_index" in statement for statement in executed) == reads, executed
        counts.append(len(executed))
    assert counts[0] == counts[1]


# The query language's errors


@pytest.mark.parametrize(
    ("q", "detail"),
    [
        ('"peace deal', 'Unbalanced quote: the " at character 1 opens a phrase that is never closed.'),
        ('peace "deal', 'Unbalanced quote: the " at character 7 opens a phrase that is never closed.'),
        ('""', "Empty phrase at character 1: put at least one word between the quotes."),
        ('putin "%%"', "Empty phrase at character 7: put at least one word between the quotes."),
        ("%%%", "Nothing to search for: use at least one word of letters or digits."),
        ("  * - ", "Nothing to search for: use at least one word of letters or digits."),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/quotes", "/api/v1/actors", "/api/v1/events", "/api/v1/search"])
def test_malformed_searches_are_400_problems(client, path, q, detail):
    body = problem(client.get(path, params={"q": q}), 400)
    assert body == {"type": "/problems/invalid-search", "title": "Bad Request", "status": 400, "detail": detail,
                    "instance": path}


# /search


def test_search_everything(client):
    body = client.get("/api/v1/search", params={"q": "putin"}).json()
    assert body["query"] == "putin"
    assert {kind: [hit["id"] for hit in hits] for kind, hits in body["data"].items()} == {
        "events": [
            "zelenskyy-rejects-donetsk-offer",
            "putin-offers-front-line-freeze",
            "putin-calls-for-secret-negotiations",
            "putin-trump-alaska-summit",
            "wwi-secret-treaties",
        ],
        "actors": ["vladimir-putin"],
        "regions": [],
        "quotes": [
            "putin-argues-for-secrecy",
            "secrecy-recalls-imperialist-treaties",
            "putin-donetsk-offer",
            "lead-no-agreement",
            "summit-details",
        ],
    }
    assert body["meta"] == {"limit": 5, "total": {"events": 6, "actors": 1, "regions": 0, "quotes": 5}}
    assert body["data"]["actors"] == [
        {
            "type": "actor",
            "id": "vladimir-putin",
            "name": "Vladimir Putin",
            "match": {"field": "name", "snippet": "Vladimir Putin", "offsets": [[9, 14]]},
            "links": {"self": "/api/v1/actors/vladimir-putin"},
        }
    ]
    assert body["data"]["events"][0] == {
        "type": "event",
        "id": "zelenskyy-rejects-donetsk-offer",
        "title": "Zelenskyy rejects Putin's Donetsk offer",
        "match": {"field": "title", "snippet": "Zelenskyy rejects Putin's Donetsk offer", "offsets": [[18, 23]]},
        "links": {"self": "/api/v1/events/zelenskyy-rejects-donetsk-offer"},
    }
    assert body["data"]["quotes"][0] == {
        "type": "quote",
        "id": "putin-argues-for-secrecy",
        "text": "Putin openly argued that negotiations should be conducted in secret",
        "match": {"field": "text", "snippet": "Putin openly argued that negotiations should be conducted in secret",
                  "offsets": [[0, 5]]},
        "links": {"self": "/api/v1/quotes/putin-argues-for-secrecy"},
    }
    assert body["links"]["quotes"] == "/api/v1/quotes?q=putin&sort=relevance"


def test_search_limit_is_per_kind(client):
    body = client.get("/api/v1/search", params={"q": "putin", "limit": 1}).json()
    assert {kind: [hit["id"] for hit in hits] for kind, hits in body["data"].items()} == {
        "events": ["zelenskyy-rejects-donetsk-offer"],
        "actors": ["vladimir-putin"],
        "regions": [],
        "quotes": ["putin-argues-for-secrecy"],
    }
    assert body["meta"]["total"] == {"events": 6, "actors": 1, "regions": 0, "quotes": 5}


def test_search_finds_actors_and_regions_by_prefix(client):
    body = client.get("/api/v1/search", params={"q": "anch"}).json()
    assert [hit["id"] for hit in body["data"]["regions"]] == ["anchorage"]
    assert body["data"]["events"] == []
    assert body["meta"]["total"] == {"events": 0, "actors": 0, "regions": 1, "quotes": 0}


@pytest.mark.parametrize(
    ("params", "location"),
    [({}, "query.q"), ({"q": "putin", "limit": 0}, "query.limit"), ({"q": "putin", "limit": 51}, "query.limit"),
     ({"q": "putin", "kind": "event"}, "query.kind"), ({"q": ""}, "query.q")],
)
def test_search_parameters_are_checked(client, params, location):
    body = problem(client.get("/api/v1/search", params=params), 422)
    assert [e["location"] for e in body["errors"]] == [location]


def test_search_is_documented(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "limit"}
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/SearchResult"}
    match = spec["components"]["schemas"]["Match"]["properties"]["field"]
    assert match["enum"] == ["title", "summary", "evidence", "text", "name", "alias"]
    sort = next(p for p in spec["paths"]["/api/v1/actors"]["get"]["parameters"] if p["name"] == "sort")
    assert sort["schema"]["enum"] == ["name", "-name", "relevance"]


RUSSIA_EVENTS_BY_RELEVANCE = {
    "sqlite": [
        "sanctions-on-russia", "russian-war-in-ukraine", "china-supplies-russian-imports",
        "russia-china-trade-record-2023", "russia-seeks-rapprochement-with-us", "russia-iran-alliance",
        "twelve-day-war", "trump-reframes-talks-as-peace-deal", "us-takes-control-of-zangezur-corridor",
        "secondary-sanctions-on-india", "trump-threatens-tariffs", "assad-government-collapse",
        "putin-trump-alaska-summit",
    ],
    "postgresql": [
        "russian-war-in-ukraine", "sanctions-on-russia", "china-supplies-russian-imports",
        "russia-seeks-rapprochement-with-us", "russia-china-trade-record-2023", "russia-iran-alliance",
        "twelve-day-war", "putin-trump-alaska-summit", "trump-reframes-talks-as-peace-deal",
        "us-takes-control-of-zangezur-corridor", "secondary-sanctions-on-india", "trump-threatens-tariffs",
        "assad-government-collapse",
    ],
}


def test_events_by_relevance_page_through_the_scored_hits_once(client):
    params = {"q": "russia", "sort": "relevance", "include": ""}
    # The engines score differently (FTS5's bm25, PostgreSQL's ts_rank): each has its order.
    expected = RUSSIA_EVENTS_BY_RELEVANCE[client.app.state.engine.dialect.name]
    assert ids(client.get("/api/v1/events", params=params)) == expected
    assert _walk(client, "/api/v1/events", {**params, "limit": 2}) == expected
    worst_first = _walk(client, "/api/v1/events", {**params, "sort": "-relevance", "limit": 3})
    # No two of these score the same, so worst first is the exact reverse.
    assert worst_first == expected[::-1]


def test_an_export_by_relevance_reads_each_hit_once_in_every_chunk(client):
    from app.queries import events
    from app.queries.event_filters import EventFilters, sort_keys

    expected = RUSSIA_EVENTS_BY_RELEVANCE[client.app.state.engine.dialect.name]
    keys = sort_keys("relevance", "russia")
    with client.app.state.engine.connect() as connection:
        items = events.iter_events(connection, EventFilters(q="russia"), keys=keys, embeds=(), chunk=2)
        # Other searches in between (other requests) change nothing of this one's statements.
        assert [item["id"] for item in items if sort_keys("relevance", item["id"][:3])] == expected
