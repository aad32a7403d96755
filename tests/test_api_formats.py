"""Event exports: NDJSON, CSV (RFC 4180) and GeoJSON (RFC 7946), by Accept or format=, streamed."""

import csv
import io
import json
import threading
import time

import pytest

from app.api.formats import CSV_COLUMNS

SUMMIT_ROW = {
    "id": "putin-trump-alaska-summit",
    "title": "Putin and Trump meet in Alaska",
    "type": "CONSULT",
    "status": "occurred",
    "date_start": "2025-08-15",
    "date_end": "2025-08-15",
    "date_precision": "day",
    "location": "Joint Base Elmendorf-Richardson, Anchorage, Alaska",
    "initiators": "",
    "targets": "",
    "participants": "vladimir-putin; donald-trump; anton-siluanov; kirill-dmitriev",
    "actor_names": "Vladimir Putin; Donald Trump; Anton Siluanov; Kirill Dmitriev",
    "regions": "joint-base-elmendorf-richardson",
    "region_names": "Joint Base Elmendorf-Richardson",
    "countries": "US",
    "lon": "-149.81",
    "lat": "61.25",
    "figures": "3 hours (roughly three hours)",
    "quotes": "summit-details; lead-no-agreement; no-ceasefire-announced; siluanov-dmitriev-present; "
    "summit-followed-defeats; talks-no-genuine-peace; summit-same-process; negotiations-serve-capital",
    "source_id": "2025-08-15-putin-trump-alaska-summit",
    "source_title": "Putin and Trump Met in Alaska to Broker Ceasefire",
}


def test_csv_exports_every_event_with_documented_columns(client):
    response = client.get("/api/v1/events", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert len(rows) == 25
    summit = next(row for row in rows if row["id"] == "putin-trump-alaska-summit")
    assert {k: summit[k] for k in SUMMIT_ROW} == SUMMIT_ROW
    # Quoting per RFC 4180: the location's commas are inside one quoted field.
    assert '"Joint Base Elmendorf-Richardson, Anchorage, Alaska"' in response.text
    trade = next(row for row in rows if row["id"] == "russia-china-trade-record-2023")
    assert trade["figures"] == "2.4e+11 USD ($240 billion)"
    assert trade["date_start"] == "2023"


def test_csv_by_accept_header_and_limit(client):
    response = client.get("/api/v1/events", params={"limit": 2}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text, newline="")))
    assert [row[0] for row in rows] == ["id", "trump-zelenskyy-meeting", "putin-trump-alaska-summit"]


def test_ndjson(client):
    response = client.get("/api/v1/events", headers={"Accept": "application/x-ndjson"}, params={"actor": "iran"})
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = response.text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["twelve-day-war", "russia-iran-alliance",
                                                          "iran-cut-off-from-proxies"]
    assert response.text.endswith("\n")
    assert json.loads(lines[0])["links"] == {"self": "/api/v1/events/twelve-day-war",
                                             "source": "/api/v1/sources/2025-08-15-putin-trump-alaska-summit"}


def test_ndjson_honours_fields(client):
    response = client.get("/api/v1/events", params={"format": "ndjson", "fields": "title", "region": "alaska"})
    assert response.text == '{"id":"putin-trump-alaska-summit","title":"Putin and Trump meet in Alaska"}\n'


def test_geojson(client):
    response = client.get("/api/v1/events", params={"format": "geojson", "actor": "vladimir-putin"})
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert list(features) == ["putin-trump-alaska-summit", "zelenskyy-rejects-donetsk-offer",
                              "putin-offers-front-line-freeze", "putin-calls-for-secret-negotiations"]
    assert features["putin-trump-alaska-summit"]["geometry"] == {"type": "Point", "coordinates": [-149.81, 61.25]}
    assert features["zelenskyy-rejects-donetsk-offer"]["geometry"] == {"type": "Point", "coordinates": [37.8, 48.02]}
    assert features["putin-calls-for-secret-negotiations"]["geometry"] is None
    assert features["putin-trump-alaska-summit"]["properties"]["title"] == "Putin and Trump meet in Alaska"
    assert "point" not in features["putin-trump-alaska-summit"]["properties"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("text/csv;q=0.5, application/geo+json", "application/geo+json"),
        ("text/html, text/csv;q=0.9", "text/csv; charset=utf-8"),
        ("application/jsonl", "application/x-ndjson"),
    ],
)
def test_accept_negotiation(client, accept, media_type):
    response = client.get("/api/v1/events", params={"limit": 1}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type


def test_format_parameter_beats_accept(client):
    response = client.get("/api/v1/events", params={"format": "csv", "limit": 1}, headers={"Accept": "application/json"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"


def test_unacceptable_accept_is_a_406_problem(client):
    response = client.get("/api/v1/events", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-acceptable"


def test_export_continues_from_a_cursor(client):
    first = client.get("/api/v1/events", params={"limit": 23}).json()
    rest = client.get("/api/v1/events", params={"format": "ndjson", "cursor": first["meta"]["next_cursor"], "limit": 23})
    assert [json.loads(line)["id"] for line in rest.text.splitlines()] == ["bolsheviks-expose-secret-treaties",
                                                                          "assad-government-collapse"]


def test_exports_read_in_chunks(client, monkeypatch):
    # Every chunk is one keyset page: a 25-event export in chunks of 4 takes 7 page queries.
    from app.queries import events

    pages: list[int] = []
    real = events.list_events

    def counting(*args, **kwargs):
        items, after = real(*args, **kwargs)
        pages.append(len(items))
        return items, after

    monkeypatch.setattr(events, "list_events", counting)
    monkeypatch.setitem(events.iter_events.__kwdefaults__, "chunk", 4)
    response = client.get("/api/v1/events", params={"format": "ndjson"})
    assert len(response.text.splitlines()) == 25
    assert pages == [4, 4, 4, 4, 4, 4, 1]


def test_csv_keeps_its_columns_whatever_fields_asks(client):
    response = client.get("/api/v1/events", params={"format": "csv", "fields": "id,title", "region": "alaska"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert [row["id"] for row in rows] == ["putin-trump-alaska-summit"]
    assert rows[0]["summary"].startswith("Vladimir Putin and Donald Trump met")


def test_exports_take_turns_and_a_stalled_one_delays_the_others_only_so_long(monkeypatch):
    from app.api import formats

    monkeypatch.setattr(formats, "_EXPORTS", threading.BoundedSemaphore(1))
    monkeypatch.setattr(formats, "_TURN_WAIT_S", 0.2)
    held = formats._turn()
    held.__enter__()  # an export whose client stopped reading
    started = time.monotonic()
    with formats._turn():
        waited = time.monotonic() - started
    held.__exit__(None, None, None)
    assert 0.2 <= waited < 2
    # Its turn given back, the next export starts at once, and a turn taken after a wait is not released twice.
    started = time.monotonic()
    with formats._turn():
        assert time.monotonic() - started < 0.1
    assert formats._EXPORTS.acquire(blocking=False)
