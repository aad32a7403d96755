"""POST /api/v1/sources: a document and its coding loaded through the seed's checks, all
or nothing; then its description changed, and the whole document deleted."""

import copy

import pytest

from tests.edit_support import (
    BRIEF,
    CODING,
    FIGURE_SPAN,
    QUIET_SPAN,
    SUMMIT_SPAN,
    TEXT,
    problem,
    records,
)

# The `editor` fixture: an app over a seeded database of each test's own, with tokens.
pytest_plugins = ["tests.edit_fixtures"]

SOURCES = "/api/v1/sources"


def load(editor, coding=CODING, text=TEXT):
    return editor.client.post(SOURCES, json={"text": text, "coding": coding}, headers=editor.write)


def test_a_document_is_loaded_with_its_coding(editor):
    client = editor.client
    created = load(editor)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/sources/alaska-brief-copy"
    assert created.json() == {
        "id": "alaska-brief-copy",
        "title": "Alaska brief, annotated",
        "publisher": "Example Weekly",
        "published_date": "2025-08-16",
        "url": None,
        "file_name": "alaska-brief-copy.txt",
        "sha256": "fa96f930c16016120ed82a36b956676c24c9cc9a8af13f7fc52e3f3f5e8d1969",
        "length": 3883,
        "event_count": 1,
        "quote_count": 2,
        "text": TEXT,
        "links": {
            "self": "/api/v1/sources/alaska-brief-copy",
            "events": "/api/v1/events?source=alaska-brief-copy",
            "quotes": "/api/v1/quotes?source=alaska-brief-copy",
        },
    }
    assert client.get("/api/v1/sources/alaska-brief-copy").headers["etag"] == created.headers["etag"]
    event = client.get("/api/v1/events/copy-summit").json()
    assert event["date"] == {"start": "2025-08-15", "end": "2025-08-15", "precision": "day"}
    assert [(q["id"], q["span"]) for q in event["quotes"]] == [
        ("copy-summit-details", SUMMIT_SPAN),
        ("copy-putin-quiet", QUIET_SPAN),
    ]
    assert event["figures"] == [{"value": 3.0, "unit": "hours", "text": "roughly three hours", "span": FIGURE_SPAN}]
    assert event["citation"]["text"] == (
        "“Alaska brief, annotated”, Example Weekly, 2025-08-16. Evidence at characters 271–431, 1016–1081."
    )
    assert [q["id"] for q in client.get("/api/v1/quotes", params={"speaker": "vladimir-putin"}).json()["data"]] == [
        "putin-secret-negotiations-statement",
        "copy-putin-quiet",
    ]
    assert editor.changes() == [
        (98, "source", "alaska-brief-copy", "created", "alice"),
        (99, "quote", "copy-summit-details", "created", "alice"),
        (100, "quote", "copy-putin-quiet", "created", "alice"),
        (101, "event", "copy-summit", "created", "alice"),
    ]
    # Searchable, counted and annotated at once.
    found = client.get("/api/v1/events", params={"q": '"three hours"', "sort": "id"}).json()["data"]
    assert [e["id"] for e in found] == ["copy-summit", "putin-trump-alaska-summit"]
    facets = client.get("/api/v1/events/facets", params={"facet": "source"}).json()
    assert facets["total"] == 26
    assert facets["facets"]["source"]["values"] == [
        {"value": BRIEF, "label": "Putin and Trump Met in Alaska to Broker Ceasefire", "count": 25},
        {"value": "alaska-brief-copy", "label": "Alaska brief, annotated", "count": 1},
    ]
    annotated = client.get("/api/v1/sources/alaska-brief-copy", params={"annotate": "true"}).json()["annotations"]
    seeded = client.get(f"/api/v1/sources/{BRIEF}", params={"annotate": "true"}).json()["annotations"]
    # The same text and the same aliases: the same mentions, found when the source arrived.
    assert annotated["mentions"] == seeded["mentions"]
    assert [(q["id"], q["span"]) for q in annotated["quotes"]] == [
        ("copy-summit-details", SUMMIT_SPAN),
        ("copy-putin-quiet", QUIET_SPAN),
    ]


def broken(change) -> dict:
    coding = copy.deepcopy(CODING)
    change(coding)
    return coding


@pytest.mark.parametrize(
    ("coding", "errors"),
    [
        (
            broken(lambda c: c["quotes"][0].update(text="Putin and Trump met in Helsinki.")),
            [
                (
                    "quotes[0] 'copy-summit-details'",
                    "text",
                    "text 'Putin and Trump met in Helsinki.' is not in the document (alaska-brief-copy.txt)",
                ),
                (
                    "events[0] 'copy-summit'",
                    "figures.0.text",
                    "'roughly three hours' is not found exactly once in any of this event's quotes",
                ),
            ],
        ),
        (
            broken(lambda c: c["events"][0]["actors"].append({"id": "donald-trum", "role": "target"})),
            [("events[0] 'copy-summit'", "actors.2.id", "unknown actor 'donald-trum'")],
        ),
        (
            broken(lambda c: c["quotes"][1].update(text="Putin")),
            [
                (
                    "quotes[1] 'copy-putin-quiet'",
                    "text",
                    (
                        "text 'Putin' occurs 7 times (at 0, 51, 185, 311, 711, 829, 2964); "
                        "quote more words so it is unique (alaska-brief-copy.txt)"
                    ),
                )
            ],
        ),
        (
            broken(
                lambda c: c["events"][0].update(regions=["atlantis"], quotes=["copy-summit-details", "summit-details"])
            ),
            [
                ("events[0] 'copy-summit'", "regions.0", "unknown region 'atlantis'"),
                (
                    "events[0] 'copy-summit'",
                    "quotes.1",
                    "unknown quote 'summit-details' (quotes come from the same document)",
                ),
            ],
        ),
        (
            broken(lambda c: c["events"][0]["date"].update(start="2025-02-30")),
            [("events[0] 'copy-summit'", "date", "'2025-02-30' is not a real date (day is out of range for month)")],
        ),
        (
            broken(lambda c: c["quotes"][1].pop("speaker")),
            [("quotes[1] 'copy-putin-quiet'", None, "a statement needs its speaker")],
        ),
        (
            broken(lambda c: c["source"].update(id="Alaska Brief")),
            [("source", "id", "String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'")],
        ),
        (
            broken(lambda c: c["events"][0].update(colour="red")),
            [("events[0] 'copy-summit'", "colour", "unknown field (a typo?)")],
        ),
        (
            broken(
                lambda c: (
                    c["source"].update(id=BRIEF)
                    or c["quotes"][0].update(id="summit-details")
                    or c["events"][0].update(id="putin-trump-alaska-summit", quotes=["summit-details"])
                )
            ),
            [
                ("source", "id", f"source id {BRIEF!r} is taken (by a record made by seed); ids are never reused"),
                (
                    "quotes[0] 'summit-details'",
                    "id",
                    "quote id 'summit-details' is taken (by a record made by seed); ids are never reused",
                ),
                (
                    "events[0] 'putin-trump-alaska-summit'",
                    "id",
                    "event id 'putin-trump-alaska-summit' is taken (by a record made by seed); ids are never reused",
                ),
            ],
        ),
    ],
)
def test_a_coding_with_problems_is_refused_whole(editor, coding, errors):
    before = records(editor.engine)
    body = problem(load(editor, coding), 422)
    assert body["type"] == "/problems/invalid-coding"
    assert [(e["entry"], e["field"], e["message"]) for e in body["errors"]] == errors
    assert {e["location"] for e in body["errors"]} == {"body.coding"}
    assert body["detail"].startswith(f"{len(errors)} problem(s) in the coding; nothing was written: ")
    assert records(editor.engine) == before


def test_the_text_itself_is_checked(editor):
    before = records(editor.engine)
    empty = problem(load(editor, text=""), 422)
    assert [(e["location"], e["message"]) for e in empty["errors"]] == [
        ("body.text", "String should have at least 1 character")
    ]
    extra = editor.client.post(SOURCES, json={"text": TEXT, "coding": CODING, "file": "x"}, headers=editor.write)
    assert [(e["location"], e["message"]) for e in problem(extra, 422)["errors"]] == [
        ("body.file", "Extra inputs are not permitted")
    ]
    not_a_coding = editor.client.post(SOURCES, json={"text": TEXT, "coding": []}, headers=editor.write)
    assert [(e["location"], e["message"]) for e in problem(not_a_coding, 422)["errors"]] == [
        ("body.coding", "Input should be a valid dictionary")
    ]
    assert records(editor.engine) == before


def test_change_the_description_never_the_text(editor):
    load(editor)
    path = "/api/v1/sources/alaska-brief-copy"
    changed = editor.client.patch(
        path, json={"publisher": None, "url": "https://example.org/alaska"}, headers=editor.with_etag(path)
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["publisher"], changed.json()["url"]) == (None, "https://example.org/alaska")
    citation = editor.client.get("/api/v1/events/copy-summit").json()["citation"]["text"]
    assert citation == "“Alaska brief, annotated”, 2025-08-16. Evidence at characters 271–431, 1016–1081."
    text = editor.client.patch(path, json={"text": "Another text."}, headers={**editor.write, "If-Match": "*"})
    assert problem(text, 422)["errors"] == [
        {
            "location": "body.text",
            "message": "the text never changes: every quote's span indexes into it; post the new text as a new source",
        }
    ]
    seeded = editor.client.patch(
        f"/api/v1/sources/{BRIEF}", json={"title": "x"}, headers={**editor.write, "If-Match": "*"}
    )
    assert problem(seeded, 409)["detail"] == (
        f"source {BRIEF!r} was made by `geoevents seed` and belongs to its coding file: edit it there and run "
        "`geoevents seed` again."
    )


def test_delete_a_document_with_its_quotes_and_events(editor):
    client = editor.client
    load(editor)
    path = "/api/v1/sources/alaska-brief-copy"
    deleted = client.delete(path, headers=editor.with_etag(path))
    assert deleted.status_code == 204
    for gone in (path, "/api/v1/events/copy-summit", "/api/v1/quotes/copy-putin-quiet"):
        assert client.get(gone).status_code == 404
    found = client.get("/api/v1/events", params={"q": '"three hours"', "sort": "id"}).json()["data"]
    assert [e["id"] for e in found] == ["putin-trump-alaska-summit"]
    assert client.get("/api/v1/events", params={"count": "exact", "limit": 1}).json()["meta"]["total"] == 25
    assert editor.changes()[4:] == [
        (102, "source", "alaska-brief-copy", "deleted", "alice"),
        (103, "quote", "copy-putin-quiet", "deleted", "alice"),
        (104, "quote", "copy-summit-details", "deleted", "alice"),
        (105, "event", "copy-summit", "deleted", "alice"),
    ]
    tombstones = client.get("/api/v1/changes", params={"since": "YWZ0ZXI6MTAx"}).json()["data"]
    assert [(c["type"], c["id"], c["op"]) for c in tombstones] == [
        ("source", "alaska-brief-copy", "deleted"),
        ("quote", "copy-putin-quiet", "deleted"),
        ("quote", "copy-summit-details", "deleted"),
        ("event", "copy-summit", "deleted"),
    ]
