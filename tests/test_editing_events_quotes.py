"""Events and quotes through the editing API, inside a source loaded through it: each edit
is checked as part of the whole document, and shows in GET, the feed, search and facets."""

import pytest

from tests.edit_support import BRIEF, CODING, QUIET_SPAN, TEXT, problem, records

# The `editor` fixture: an app over a seeded database of each test's own, with tokens.
pytest_plugins = ["tests.edit_fixtures"]

EVENTS, QUOTES = "/api/v1/events", "/api/v1/quotes"
ZANGEZUR = "Trump secured control of the Zangezur corridor"
# Found in the .txt independently (python3 -c, str.index): 1492-1538.
ZANGEZUR_SPAN = {"start": 1492, "end": 1538}
SECRECY = {
    "id": "copy-putin-wants-quiet",
    "source": "alaska-brief-copy",
    "title": "Putin wants quiet talks",
    "summary": "Putin said the talks must be calm and out of public view.",
    "type": "REQUEST",
    "status": "occurred",
    "date": {"precision": "unknown"},
    "actors": [{"id": "vladimir-putin", "role": "initiator"}],
    "quotes": ["copy-putin-quiet"],
}


@pytest.fixture
def document(editor):
    """The brief loaded again through the API, as source alaska-brief-copy."""
    response = editor.client.post("/api/v1/sources", json={"text": TEXT, "coding": CODING}, headers=editor.write)
    assert response.status_code == 201, response.text
    return editor


def facet(client, name: str, **params) -> list[tuple]:
    values = client.get("/api/v1/events/facets", params={"facet": name, "facet_size": 100, **params}).json()
    return [(v["value"], v["count"]) for v in values["facets"][name]["values"]]


def test_create_change_and_delete_an_event(document):
    client, editor = document.client, document
    # The brief codes 4 REQUEST events (grep -c "type: REQUEST" in its .yaml).
    assert ("REQUEST", 4) in facet(client, "type")
    created = client.post(EVENTS, json=SECRECY, headers=editor.write)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["id"], body["type"], body["status"], body["date"]) == (
        "copy-putin-wants-quiet",
        "REQUEST",
        "occurred",
        {"start": None, "end": None, "precision": "unknown"},
    )
    assert body["actors"] == [{"id": "vladimir-putin", "name": "Vladimir Putin", "role": "initiator"}]
    assert [(q["id"], q["span"]) for q in body["quotes"]] == [("copy-putin-quiet", QUIET_SPAN)]
    assert client.get("/api/v1/events/copy-putin-wants-quiet").headers["etag"] == created.headers["etag"]
    assert ("REQUEST", 5) in facet(client, "type")
    assert facet(client, "source") == [(BRIEF, 25), ("alaska-brief-copy", 2)]
    searched = client.get(EVENTS, params={"q": "quiet talks"}).json()["data"]
    assert [e["id"] for e in searched] == ["copy-putin-wants-quiet"]
    path = "/api/v1/events/copy-putin-wants-quiet"
    changed = client.patch(
        path,
        json={"type": "ACCUSE", "date": {"precision": "month", "start": "2025-08"}, "regions": ["alaska"]},
        headers=document.with_etag(path),
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["type"], changed.json()["date"], changed.json()["regions"]) == (
        "ACCUSE",
        {"start": "2025-08", "end": "2025-08", "precision": "month"},
        [{"id": "alaska", "name": "Alaska"}],
    )
    assert ("REQUEST", 4) in facet(client, "type")
    assert facet(client, "type", source="alaska-brief-copy") == [("ACCUSE", 1), ("CONSULT", 1)]
    in_alaska = client.get("/api/v1/regions/north-america/events", params={"source": "alaska-brief-copy"}).json()
    assert [e["id"] for e in in_alaska["data"]] == ["copy-summit", "copy-putin-wants-quiet"]
    timeline = client.get("/api/v1/events/timeline", params={"interval": "month", "source": "alaska-brief-copy"}).json()
    assert timeline["buckets"] == [{"start": "2025-08", "count": 2}]
    deleted = client.delete(path, headers=document.with_etag(path))
    assert deleted.status_code == 204
    assert client.get(path).status_code == 404
    assert client.get(EVENTS, params={"q": "quiet talks"}).json()["data"] == []
    assert document.changes()[4:] == [
        (102, "event", "copy-putin-wants-quiet", "created", "alice"),
        (103, "event", "copy-putin-wants-quiet", "updated", "alice"),
        (104, "event", "copy-putin-wants-quiet", "deleted", "alice"),
    ]


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"quotes": ["summit-details"]},
            [("body.quotes.0", "unknown quote 'summit-details' (quotes come from the same document)")],
        ),
        (
            {"actors": [{"id": "vladimir-putin", "role": "initiator"}, {"id": "vladimir-putin", "role": "initiator"}]},
            [("body.actors", "lists vladimir-putin as initiator twice")],
        ),
        (
            {"figures": [{"value": 100, "unit": "percent", "text": "100%"}]},
            [("body.figures.0.text", "'100%' is not found exactly once in any of this event's quotes")],
        ),
        (
            {"date": {"precision": "day", "start": "2025-08"}},
            [("body.date", "'2025-08' does not match precision 'day' (expected YYYY-MM-DD)")],
        ),
        ({"quotes": []}, [("body.quotes", "List should have at least 1 item after validation, not 0")]),
    ],
)
def test_an_invalid_event_is_refused(document, change, errors):
    before = records(document.engine)
    response = document.client.post(EVENTS, json={**SECRECY, **change}, headers=document.write)
    assert [(e["location"], e["message"]) for e in problem(response, 422)["errors"]] == errors
    assert records(document.engine) == before


def test_events_and_quotes_live_in_sources_the_api_made(document):
    client = document.client
    seeded = client.post(
        EVENTS, json={**SECRECY, "source": BRIEF, "quotes": ["summit-details"]}, headers=document.write
    )
    assert problem(seeded, 409)["detail"] == (
        f"source {BRIEF!r} was made by `geoevents seed` and belongs to its coding file: edit it there and run "
        "`geoevents seed` again."
    )
    unknown = client.post(
        QUOTES, json={"id": "q", "source": "nowhere", "kind": "excerpt", "text": "x"}, headers=document.write
    )
    assert problem(unknown, 422)["errors"] == [{"location": "body.source", "message": "unknown source 'nowhere'"}]
    moved = client.patch(
        "/api/v1/events/copy-summit", json={"source": BRIEF}, headers={**document.write, "If-Match": "*"}
    )
    assert problem(moved, 422)["errors"] == [
        {"location": "body.source", "message": "an event stays in its source ('alaska-brief-copy')"}
    ]


def test_create_change_and_delete_a_quote(document):
    client = document.client
    created = client.post(
        QUOTES,
        json={"id": "copy-zangezur", "source": "alaska-brief-copy", "kind": "excerpt", "text": ZANGEZUR},
        headers=document.write,
    )
    assert created.status_code == 201, created.text
    assert created.json() == {
        "id": "copy-zangezur",
        "text": ZANGEZUR,
        "kind": "excerpt",
        "speaker": None,
        "source": {"id": "alaska-brief-copy", "title": "Alaska brief, annotated"},
        "span": ZANGEZUR_SPAN,
        "events": [],
        "links": {"self": "/api/v1/quotes/copy-zangezur", "source": "/api/v1/sources/alaska-brief-copy"},
    }
    assert [q["id"] for q in client.get(QUOTES, params={"q": "zangezur"}).json()["data"]] == [
        "zangezur-control",
        "copy-zangezur",
    ]
    path = "/api/v1/quotes/copy-zangezur"
    statement = client.patch(
        path, json={"kind": "statement", "speaker": "donald-trump"}, headers=document.with_etag(path)
    )
    assert statement.json()["speaker"] == {"id": "donald-trump", "name": "Donald Trump"}
    assert [q["id"] for q in client.get("/api/v1/actors/donald-trump/quotes").json()["data"]] == ["copy-zangezur"]
    nowhere = client.patch(
        path, json={"text": "Trump lost the Zangezur corridor"}, headers={**document.write, "If-Match": "*"}
    )
    assert problem(nowhere, 422)["errors"] == [
        {
            "location": "body.text",
            "message": "text 'Trump lost the Zangezur corridor' is not in the document (alaska-brief-copy.txt)",
        }
    ]
    deleted = client.delete(path, headers=document.with_etag(path))
    assert deleted.status_code == 204
    assert client.get("/api/v1/actors/donald-trump/quotes").json()["data"] == []
    assert document.changes()[4:] == [
        (102, "quote", "copy-zangezur", "created", "alice"),
        (103, "quote", "copy-zangezur", "updated", "alice"),
        (104, "quote", "copy-zangezur", "deleted", "alice"),
    ]


def test_a_quote_change_that_would_strand_a_figure_changes_nothing(document):
    client = document.client
    before = records(document.engine)
    shorter = client.patch(
        "/api/v1/quotes/copy-summit-details",
        json={"text": "Presidents Vladimir Putin and Donald Trump met"},
        headers={**document.write, "If-Match": "*"},
    )
    assert problem(shorter, 422)["errors"] == [
        {
            "location": "body",
            "message": "event 'copy-summit': figures.0.text: 'roughly three hours' is not found "
            "exactly once in any of this event's quotes",
        }
    ]
    assert records(document.engine) == before
    # Shortened around the figure, the quote still holds it: the figure is found again, in the same place.
    kept = client.patch(
        "/api/v1/quotes/copy-summit-details",
        json={"text": "met for roughly three hours"},
        headers={**document.write, "If-Match": "*"},
    )
    # 334-361 and 342-361 in the .txt (python3 -c, str.index).
    assert kept.json()["span"] == {"start": 334, "end": 361}
    event = client.get("/api/v1/events/copy-summit").json()
    assert event["figures"][0]["span"] == {"start": 342, "end": 361}
    assert document.changes()[4:] == [(102, "quote", "copy-summit-details", "updated", "alice")]


def test_quotes_and_actors_in_use_are_not_deleted(document):
    client = document.client
    cited = client.delete("/api/v1/quotes/copy-putin-quiet", headers={**document.write, "If-Match": "*"})
    assert problem(cited, 409)["detail"] == (
        "quote 'copy-putin-quiet' is the evidence of event(s) 'copy-summit': change those first."
    )
    client.post(
        "/api/v1/actors",
        json={
            "id": "russian-businessmen",
            "name": "Russian businessmen",
            "kind": "group",
            "description": "Businessmen.",
        },
        headers=document.write,
    )
    client.patch(
        "/api/v1/events/copy-summit",
        json={"actors": [{"id": "russian-businessmen", "role": "participant"}]},
        headers={**document.write, "If-Match": "*"},
    )
    used = client.delete("/api/v1/actors/russian-businessmen", headers={**document.write, "If-Match": "*"})
    assert problem(used, 409)["detail"] == (
        "actor 'russian-businessmen' takes part in event(s) 'copy-summit': change those first."
    )
    network = client.get("/api/v1/actors/russian-businessmen/network").json()
    assert network["actor"]["events"] == ["copy-summit"]
