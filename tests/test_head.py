"""HEAD answers wherever GET does: the same status and headers, no body. Both backends."""

import json
import logging

import pytest

SUMMIT = "/api/v1/events/putin-trump-alaska-summit"
# Made afresh for every answer, so they differ between any two.
PER_ANSWER = {"date", "x-request-id"}


def same_headers(get, head) -> None:
    assert head.content == b""
    assert head.status_code == get.status_code
    assert {k: v for k, v in head.headers.items() if k not in PER_ANSWER} == {
        k: v for k, v in get.headers.items() if k not in PER_ANSWER
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events?limit=2&count=exact",
        SUMMIT,
        "/api/v1/events?format=csv&limit=3",
        "/api/v1/actors/vladimir-putin/network",
        "/api/v1/events/timeline",
        "/api/v1/changes?limit=1",
        "/api/v1/search?q=putin",
        "/api/v1/events/no-such-event",
        "/health",
        "/openapi.json",
        "/docs",
        "/problems/conflict",
        "/",
        "/events/putin-trump-alaska-summit",
        "/static/swagger-ui/swagger-ui.css",
    ],
)
def test_head_has_the_headers_of_get_and_no_body(client, path):
    same_headers(client.get(path), client.head(path))


def test_head_of_a_page_with_a_nonce_differs_only_in_the_nonce(client):
    get, head = client.get("/redoc"), client.head("/redoc")
    assert (head.status_code, head.content, head.headers["content-type"]) == (200, b"", get.headers["content-type"])
    assert head.headers["content-length"] == get.headers["content-length"]


def test_head_revalidates_like_get(client):
    for path in ("/api/v1/events?limit=2", SUMMIT):
        etag = client.get(path).headers["etag"]
        head = client.head(path, headers={"If-None-Match": etag})
        assert (head.status_code, head.headers["etag"], head.content) == (304, etag, b"")


def test_unknown_paths_stay_404_and_the_document_lists_no_head(client):
    assert client.head("/api/v1/nowhere").status_code == 404
    assert client.head("/nowhere/at/all").status_code == 404
    spec = client.get("/openapi.json").json()
    assert [path for path, operations in spec["paths"].items() if "head" in operations] == []


def test_head_is_logged_as_head_with_no_bytes(client, caplog):
    caplog.set_level(logging.INFO, logger="geoevents.access")
    client.head(SUMMIT, headers={"X-Request-ID": "head-1"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "geoevents.access"]
    assert [{k: v for k, v in line.items() if k != "duration_ms"} for line in lines] == [
        {"method": "HEAD", "path": SUMMIT, "query": "", "status": 200, "request_id": "head-1", "bytes": 0,
         "client": "testclient"}
    ]


def test_head_becomes_get_inside_the_limits_and_outside_caching(client):
    # The order app.api.middleware documents, outermost first (CORS is off here).
    assert [entry.cls.__name__ for entry in client.app.user_middleware] == [
        "RequestIdMiddleware", "AccessLogMiddleware", "SecurityHeadersMiddleware", "ServerErrorMiddleware",
        "RequestLimitsMiddleware", "HeadAsGet", "CachingMiddleware",
    ]
    # Refused before any route runs, as a GET would be: a HEAD with an overlong query.
    assert client.head("/api/v1/events?" + "q=x&" * 5000).status_code == 414


@pytest.mark.parametrize("fmt", ["csv", "ndjson", "geojson"])
def test_head_of_an_export_reads_no_event(client, fmt):
    from sqlalchemy import event as sa_event

    executed: list[str] = []
    engine = client.app.state.engine

    def record(conn, cursor, statement, *args):  # noqa: ANN001
        executed.append(statement)

    path = f"/api/v1/events?format={fmt}"
    get = client.get(path)
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        head = client.head(path)
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
    same_headers(get, head)
    assert not [statement for statement in executed if "FROM event" in statement]
