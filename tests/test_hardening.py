"""Hardening: request ids, access logs, security headers, 500s inside the middleware stack,
and bad input (NUL ids, overflowing dates, numbers as dates, huge lists and URLs) answered
with 4xx problems, never a 500 or a wrong answer. Both backends unless a test builds its own app."""

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.responses import StreamingResponse

from app.api.app import create_app
from app.api.middleware.security_headers import DEFAULT_CSP
from app.settings import Settings

SUMMIT = "/api/v1/events/putin-trump-alaska-summit"
SECURITY = {"x-content-type-options": "nosniff", "x-frame-options": "DENY"}


def problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["type"] == f"/problems/{kind}"
    return body


# --- request ids, logs, headers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("abc-123_XYZ.9", True), ("x" * 128, True), ("x" * 129, False), ("two words", False), ("", False), (None, False)],
)
def test_request_id_is_echoed_when_sane_and_made_up_otherwise(client, sent, kept):
    headers = {} if sent is None else {"X-Request-ID": sent}
    given = client.get(SUMMIT, headers=headers).headers["x-request-id"]
    if kept:
        assert given == sent
    else:
        assert len(given) == 32 and int(given, 16) >= 0


def test_every_kind_of_answer_carries_request_id_and_security_headers(client):
    etag = client.get(SUMMIT).headers["etag"]
    answers = {
        "200": client.get(SUMMIT),
        "304": client.get(SUMMIT, headers={"If-None-Match": etag}),
        "404": client.get("/api/v1/events/nope"),
        "405": client.put("/health"),
        "422": client.get("/api/v1/events", params={"limit": 0}),
        "static": client.get("/static/swagger-ui/swagger-ui.css"),
        "openapi": client.get("/openapi.json"),
    }
    assert [answer.status_code for answer in answers.values()] == [200, 304, 404, 405, 422, 200, 200]
    for name, answer in answers.items():
        assert len(answer.headers["x-request-id"]) == 32, name
        assert {k: answer.headers[k] for k in SECURITY} == SECURITY, name
        assert answer.headers["referrer-policy"] == "no-referrer", name
        assert answer.headers["content-security-policy"] == DEFAULT_CSP, name
        assert "server" not in answer.headers, name


def test_html_pages_keep_their_own_policies(client):
    docs = client.get("/docs")
    assert docs.headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'; ")
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    explorer = client.get("/events/putin-trump-alaska-summit")
    assert explorer.headers["content-security-policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    assert explorer.headers["referrer-policy"] == "same-origin"
    for page in (docs, explorer):
        assert {k: page.headers[k] for k in SECURITY} == SECURITY


def test_one_json_access_line_per_request(client, caplog):
    caplog.set_level(logging.INFO, logger="geoevents.access")
    response = client.get("/api/v1/actors", params={"kind": "state", "limit": 2}, headers={"X-Request-ID": "log-1"})
    client.get("/api/v1/actors/x%0Ay", headers={"X-Request-ID": "log-2"})
    client.head("/", headers={"X-Request-ID": "log-3"})
    lines = [record.getMessage() for record in caplog.records if record.name == "geoevents.access"]
    assert len(lines) == 3
    first, second, third = (json.loads(line) for line in lines)
    assert set(first) == {"method", "path", "query", "status", "duration_ms", "request_id", "bytes", "client"}
    assert {k: v for k, v in first.items() if k != "duration_ms"} == {
        "method": "GET",
        "path": "/api/v1/actors",
        "query": "kind=state&limit=2",
        "status": 200,
        "request_id": "log-1",
        "bytes": len(response.content),
        "client": "testclient",
    }
    assert 0 < first["duration_ms"] < 60_000
    # A newline in the path stays inside the JSON string: no forged second line.
    assert "\n" not in lines[1]
    assert (second["path"], second["status"], second["request_id"]) == ("/api/v1/actors/x\ny", 404, "log-2")
    # A HEAD answer's body never leaves the server.
    assert (third["method"], third["status"], third["bytes"]) == ("HEAD", 200, 0)


def test_the_uvicorn_log_config_writes_each_access_line_as_it_is():
    # In a process of its own: configuring logging here would change it for every other test.
    script = (
        "import logging.config\n"
        "from app.api.middleware.access_log import LOG_CONFIG, log\n"
        "logging.config.dictConfig(LOG_CONFIG)\n"
        "log.info('{\"status\":200}')\n"
        "logging.getLogger('geoevents.access.debug').debug('not at INFO')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert (done.stdout, done.stderr) == ("", '{"status":200}\n')


def _failing_app(tmp_path: Path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'none.db'}", cors_origins=["https://curator.example"]))

    @app.get("/test/fail")
    def fail() -> None:
        raise RuntimeError("boom")

    @app.get("/test/fail-midway")
    def fail_midway() -> StreamingResponse:
        def chunks():
            yield b"first chunk"
            raise RuntimeError("stream broke")

        return StreamingResponse(chunks(), media_type="text/plain")

    return app


def test_a_500_passes_through_the_middleware_stack(tmp_path, caplog):
    # raise_server_exceptions stays on: the exception is answered inside, it does not escape.
    with TestClient(_failing_app(tmp_path)) as client:
        response = client.get("/test/fail", headers={"Origin": "https://curator.example", "X-Request-ID": "fail-1"})
    body = problem(response, 500, "internal-error")
    assert body["detail"] == "The server failed to answer this request."
    assert "boom" not in response.text
    assert response.headers["access-control-allow-origin"] == "https://curator.example"
    assert response.headers["x-request-id"] == "fail-1"
    assert response.headers["x-content-type-options"] == "nosniff"
    logged = [r for r in caplog.records if r.name == "geoevents.api" and r.levelno == logging.ERROR]
    assert [r.getMessage() for r in logged] == ["unhandled error on GET /test/fail (request fail-1)"]


def test_a_stream_that_breaks_is_not_dressed_up_as_complete(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="geoevents.access")
    with TestClient(_failing_app(tmp_path)) as client, pytest.raises(RuntimeError, match="stream broke"):
        client.get("/test/fail-midway")
    access = [json.loads(r.getMessage()) for r in caplog.records if r.name == "geoevents.access"]
    assert [(a["path"], a["status"], a["bytes"]) for a in access] == [("/test/fail-midway", 200, 11)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_real_server_sends_no_banner(tmp_path):
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    env = {**os.environ, "GEOEVENTS_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{SUMMIT}", timeout=5) as answer:
                    headers = {k.lower(): v for k, v in answer.headers.items()}
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert "server" not in headers
    assert headers["date"].endswith(" GMT")
    assert len(headers["x-request-id"]) == 32
    assert {k: headers[k] for k in SECURITY} == SECURITY


# --- bad input ---------------------------------------------------------------------------

ID_PATHS = [
    "/api/v1/events/{}", "/api/v1/actors/{}", "/api/v1/actors/{}/events", "/api/v1/actors/{}/quotes",
    "/api/v1/actors/{}/network", "/api/v1/actors/{}/mentions", "/api/v1/regions/{}", "/api/v1/regions/{}/events",
    "/api/v1/regions/{}/mentions", "/api/v1/quotes/{}", "/api/v1/sources/{}",
]


@pytest.mark.parametrize("template", ID_PATHS)
def test_nul_in_an_id_is_a_404(client, template):
    # PostgreSQL cannot even compare a string holding NUL: this was a 500 there.
    body = problem(client.get(template.format("vladimir%00putin")), 404, "not-found")
    assert body["detail"] == "No resource has a NUL character in its path."


@pytest.mark.parametrize(
    ("params", "location", "message"),
    [
        # Past the last instant Python can hold once moved to UTC: was an OverflowError, a 500.
        ({"updated_since": "9999-12-31T23:59:59-01:00"}, "query.updated_since",
         "date-time is out of range once converted to UTC"),
        ({"updated_since": "0001-01-01T00:00:00+01:00"}, "query.updated_since",
         "date-time is out of range once converted to UTC"),
        # Read as Unix times before: 20250801 seconds is 1970-08-23, a silently wrong filter.
        ({"updated_since": "20250801"}, "query.updated_since",
         "expected an ISO 8601 date such as 2025-08-15 (or a date-time such as 2025-08-15T12:00:00Z)"),
        ({"from": "0"}, "query.from",
         "expected an ISO 8601 date such as 2025-08-15 (or a date-time such as 2025-08-15T12:00:00Z)"),
        ({"to": "86400"}, "query.to",
         "expected an ISO 8601 date such as 2025-08-15 (or a date-time such as 2025-08-15T12:00:00Z)"),
        ({"count": "True"}, "query.count", "Input should be 'none', 'exact' or 'estimated'"),
        ({"actor": ["vladimir-putin"] * 101}, "query.actor", "List should have at most 100 items after validation, not 101"),
    ],
)
def test_dates_and_lists_that_cannot_mean_what_they_say_are_422(client, params, location, message):
    body = problem(client.get("/api/v1/events", params=params), 422, "invalid-parameters")
    assert [(e["location"], e["message"]) for e in body["errors"]] == [(location, message)]


def test_lists_up_to_the_cap_work(client):
    params = {"actor": ["vladimir-putin"] * 100, "fields": "id", "sort": "id"}
    assert [item["id"] for item in client.get("/api/v1/events", params=params).json()["data"]] == [
        "putin-calls-for-secret-negotiations", "putin-offers-front-line-freeze", "putin-trump-alaska-summit",
        "zelenskyy-rejects-donetsk-offer",
    ]
    assert client.get("/api/v1/events", params={"count": "true", "limit": 1}).json()["meta"]["total"] == 25


def test_facets_need_at_least_one_facet(client):
    body = problem(client.get("/api/v1/events/facets", params={"facet": ""}), 422, "invalid-parameters")
    assert [e["location"] for e in body["errors"]] == ["query.facet"]


def test_a_change_cursor_past_any_feed_is_400(client):
    # after:99999999999 overflows PostgreSQL's INTEGER seq: it was a 500 there.
    body = problem(client.get("/api/v1/changes", params={"since": "YWZ0ZXI6OTk5OTk5OTk5OTk"}), 400, "invalid-cursor")
    assert body["detail"] == "`since` is not a change feed cursor: pass `meta.next_cursor` of an earlier page."


def test_overlong_urls_are_414_problems(client):
    body = problem(client.get("/api/v1/events?" + "&".join(["actor=vladimir-putin"] * 1000)), 414, "uri-too-long")
    assert body["detail"] == (
        "The query string is 20999 bytes long; this service reads at most 16384 (a list parameter takes at most 100 "
        "values)."
    )
    body = problem(client.get("/api/v1/events/" + "a" * 3000), 414, "uri-too-long")
    assert body["detail"] == "The path is 3015 bytes long; this service reads paths of at most 2048."
    assert body["instance"] == "/api/v1/events/" + "a" * 185 + "…"


def test_a_422_lists_at_most_20_errors(client):
    response = client.get("/api/v1/events", params={f"unknown{i}": "1" for i in range(30)})
    body = problem(response, 422, "invalid-parameters")
    assert [e["location"] for e in body["errors"]] == [f"query.unknown{i}" for i in range(20)]
    assert body["detail"].endswith("query.unknown19: Extra inputs are not permitted; and 10 more")


def test_405_allows_every_documented_method_of_the_path(client):
    spec = client.get("/openapi.json").json()
    for path, concrete in [("/api/v1/events", "/api/v1/events"), ("/api/v1/events/{event_id}", SUMMIT)]:
        response = client.put(concrete)
        problem(response, 405, "method-not-allowed")
        # HEAD goes with GET, though the document does not list it.
        documented = {method.upper() for method in spec["paths"][path]}
        assert "HEAD" not in documented
        assert response.headers["allow"] == ", ".join(sorted(documented | {"HEAD"}))
    # /events/facets is its own path, though /events/{event_id} matches it too.
    assert client.put("/api/v1/events/facets").headers["allow"] == "GET, HEAD"
    assert client.post("/health").json()["detail"] == "POST is not allowed on /health; use GET, HEAD."


def test_event_lists_document_that_members_may_be_left_out(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["Event"]["required"] == ["id"]
    assert schemas["EventDetail"]["required"] == [
        "id", "title", "summary", "type", "status", "date", "location", "actors", "regions", "figures", "source",
        "quotes", "citation", "links",
    ]
    assert client.get("/api/v1/events", params={"fields": "title", "limit": 1}).json()["data"] == [
        {"id": "trump-zelenskyy-meeting", "title": "Trump to meet Zelenskyy on 18 August"}
    ]
