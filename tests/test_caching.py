"""ETags from the data version, conditional GETs, Cache-Control, Vary, and CORS on all of it."""

import re
import threading
from collections.abc import Iterator

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from app.api.app import create_app
from app.api.caching import CachingMiddleware, matches, record_tag, strongly_matches
from app.database import make_engine
from app.migrate import upgrade
from app.settings import Settings

EVENTS = "/api/v1/events"
ETAG_AT_97 = re.compile(r'W/"97-[A-Za-z0-9_-]{16}"')


@pytest.fixture
def statements(client) -> Iterator[list[str]]:
    executed: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "ROLLBACK", "COMMIT")):
            executed.append(statement)

    engine = client.app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    yield executed
    event.remove(engine, "before_cursor_execute", record)


def test_successful_get_carries_etag_cache_control_and_vary(client):
    response = client.get(EVENTS)
    assert response.status_code == 200
    assert ETAG_AT_97.fullmatch(response.headers["etag"])
    assert response.headers["cache-control"] == "public, no-cache"
    assert response.headers["vary"] == "Accept"
    assert client.get(EVENTS).headers["etag"] == response.headers["etag"]


def test_matching_if_none_match_is_a_bodiless_304_before_the_route_runs(client, statements):
    etag = client.get(EVENTS, params={"limit": 3}).headers["etag"]
    statements.clear()
    response = client.get(EVENTS, params={"limit": 3}, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert response.headers["cache-control"] == "public, no-cache"
    assert response.headers["vary"] == "Accept"
    assert "content-type" not in response.headers
    # Only the version (and the time of the last change) was read: no event was queried.
    assert len(statements) == 1
    assert " ".join(statements[0].split()).startswith("SELECT max(change.seq) AS max_1, (SELECT last_change.changed_at")


@pytest.mark.parametrize(
    "header",
    [
        "{etag}",
        '"other", {etag}',
        '"a","b",{etag} , "c"',
        "{strong}",  # weak comparison ignores W/
        "*",
    ],
)
def test_if_none_match_forms_that_match(client, header):
    etag = client.get(EVENTS).headers["etag"]
    value = header.format(etag=etag, strong=etag.removeprefix("W/"))
    response = client.get(EVENTS, headers={"If-None-Match": value})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


@pytest.mark.parametrize("header", ['"other"', 'W/"96-AAAAAAAAAAAAAAAA"', "garbage", ""])
def test_if_none_match_that_does_not_match_gets_the_full_answer(client, header):
    response = client.get(EVENTS, params={"limit": 1}, headers={"If-None-Match": header})
    assert response.status_code == 200
    assert [e["id"] for e in response.json()["data"]] == ["trump-zelenskyy-meeting"]


def test_if_none_match_on_several_lines_is_one_list(client):
    etag = client.get(EVENTS).headers["etag"]
    response = client.get(EVENTS, headers=[("If-None-Match", '"other"'), ("If-None-Match", etag)])
    assert response.status_code == 304


def test_without_a_readable_version_nothing_is_tagged_or_stored(database_url, caplog):
    # A database the migrations have not reached yet has no change table to version by.
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    engine.dispose()
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        response = client.get("/problems/not-found")
    assert response.status_code == 200
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == "no-store"
    assert "cannot read the data version; answering without an ETag" in caplog.messages


def test_star_on_a_missing_resource_is_not_a_304(client):
    response = client.get("/api/v1/events/no-such-event", headers={"If-None-Match": "*"})
    assert response.status_code == 404
    assert "etag" not in response.headers


def test_query_string_and_accept_select_the_etag(client):
    tags = {
        client.get(EVENTS).headers["etag"],
        client.get(EVENTS, params={"limit": 2}).headers["etag"],
        client.get(EVENTS, params={"limit": 2, "sort": "date"}).headers["etag"],
        client.get(EVENTS, headers={"Accept": "application/json"}).headers["etag"],
        client.get("/api/v1/actors").headers["etag"],
    }
    assert len(tags) == 5
    assert all(ETAG_AT_97.fullmatch(tag) for tag in tags)
    plain = client.get(EVENTS).headers["etag"]
    other_format = client.get(EVENTS, headers={"Accept": "application/json"}).headers["etag"]
    assert client.get(EVENTS, headers={"Accept": "application/json", "If-None-Match": plain}).status_code == 200
    assert client.get(EVENTS, headers={"Accept": "application/json", "If-None-Match": other_format}).status_code == 304


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/events/no-such-event", 404), ("/api/v1/events?limit=0", 422),
     ("/api/v1/events?cursor=garbage", 400), ("/api/v1/nowhere", 404)],
)
def test_errors_carry_no_etag_and_are_not_stored(client, path, status):
    tag_of_the_list = client.get(EVENTS).headers["etag"]
    response = client.get(path, headers={"If-None-Match": tag_of_the_list})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == "no-store"


def test_health_is_live(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == "no-store"


def test_openapi_document_is_tagged_and_revalidated(client):
    response = client.get("/openapi.json")
    assert ETAG_AT_97.fullmatch(response.headers["etag"])
    assert response.headers["cache-control"] == "public, no-cache"
    again = client.get("/openapi.json", headers={"If-None-Match": response.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")


def test_other_methods_are_left_alone(client):
    # No tag and nothing cacheable: a problem's own no-store is all (POST is the editing API's: 401 untokened).
    for response, status in ((client.put(EVENTS), 405), (client.post(EVENTS), 401)):
        assert response.status_code == status
        assert "etag" not in response.headers
        assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/events/putin-trump-alaska-summit", "/api/v1/actors/vladimir-putin", "/api/v1/regions/alaska",
     "/api/v1/quotes/summit-details", "/api/v1/sources/2025-08-15-putin-trump-alaska-summit"],
)
def test_a_record_page_carries_a_strong_etag_of_its_body(client, path):
    response = client.get(path)
    assert response.headers["etag"] == record_tag(response.content)
    assert re.fullmatch(r'"[A-Za-z0-9_-]{24}"', response.headers["etag"])
    assert response.headers["cache-control"] == "public, no-cache"
    for held in (response.headers["etag"], "W/" + response.headers["etag"], f'"other", {response.headers["etag"]}'):
        again = client.get(path, headers={"If-None-Match": held})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", response.headers["etag"])
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_only_record_pages_are_tagged_by_their_body(client):
    assert ETAG_AT_97.fullmatch(client.get("/api/v1/events/facets").headers["etag"])
    assert ETAG_AT_97.fullmatch(client.get("/api/v1/actors/vladimir-putin/events").headers["etag"])
    source = "/api/v1/sources/2025-08-15-putin-trump-alaska-summit"
    plain, annotated = client.get(source), client.get(source, params={"annotate": "true"})
    assert annotated.headers["etag"] == record_tag(annotated.content) != plain.headers["etag"]


def test_strong_comparison_for_if_match():
    assert strongly_matches('"a"', '"a"')
    assert strongly_matches('"b", "a"', '"a"')
    assert not strongly_matches('W/"a"', '"a"')
    assert not strongly_matches('"a"', 'W/"a"')
    assert not strongly_matches("a", '"a"')


def _run(app, scope) -> list:
    sent: list = []

    async def server(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    # A thread of its own: a test before this one may have left an event loop running here.
    worker = threading.Thread(target=anyio.run, args=(app, scope, receive, server))
    worker.start()
    worker.join()
    return sent


def test_a_route_that_tags_its_answer_keeps_its_tag(seeded_engine, database_url):
    app = create_app(Settings(database_url=database_url))
    app.state.engine = seeded_engine

    async def route(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"etag", b'"mine"')]})
        await send({"type": "http.response.body", "body": b"body"})

    def scope(if_none_match: bytes | None) -> dict:
        headers = [(b"if-none-match", if_none_match)] if if_none_match else []
        return {"type": "http", "method": "GET", "path": "/x", "query_string": b"", "headers": headers, "app": app}

    fresh = _run(CachingMiddleware(route), scope(None))
    assert (fresh[0]["status"], dict(fresh[0]["headers"])[b"etag"], fresh[1]["body"]) == (200, b'"mine"', b"body")
    held = _run(CachingMiddleware(route), scope(b'"mine"'))
    assert (held[0]["status"], dict(held[0]["headers"])[b"etag"], held[1]["body"]) == (304, b'"mine"', b"")


def test_weak_comparison():
    assert matches('W/"1-a"', '"1-a"')
    assert matches('"1-a"', 'W/"1-a"')
    assert matches(' "x" ,W/"1-a"', 'W/"1-a"')
    assert not matches('"1-b"', 'W/"1-a"')
    assert not matches("1-a", 'W/"1-a"')


def test_streamed_bodies_pass_through_chunk_by_chunk(seeded_engine, database_url):
    """Each chunk reaches the server before the route produces the next: nothing is buffered."""
    app = create_app(Settings(database_url=database_url))
    app.state.engine = seeded_engine
    log: list[str] = []

    async def route(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/csv")]})
        for chunk in (b"id\n", b"a\n", b"b\n"):
            await send({"type": "http.response.body", "body": chunk, "more_body": chunk != b"b\n"})
            log.append(f"produced {chunk!r}")

    async def server(message):
        if message["type"] == "http.response.start":
            headers = dict(message["headers"])
            log.append(f"start {message['status']} {headers[b'etag'].decode()[:6]}")
        else:
            log.append(f"sent {message['body']!r}")

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "GET", "path": "/export", "query_string": b"", "headers": [], "app": app}
    # A thread of its own: a test before this one may have left an event loop running here.
    worker = threading.Thread(target=anyio.run, args=(CachingMiddleware(route), scope, receive, server))
    worker.start()
    worker.join()
    assert log == [
        'start 200 W/"97-',
        "sent b'id\\n'", "produced b'id\\n'",
        "sent b'a\\n'", "produced b'a\\n'",
        "sent b'b\\n'", "produced b'b\\n'",
    ]


ALLOWED = "https://a.example"
DISALLOWED = "https://evil.example"
# Starlette adds the CORS-safelisted request headers to those the API reads.
CORS_ALLOWED_HEADERS = (
    "Accept, Accept-Language, Authorization, Content-Language, Content-Type, If-Match, If-None-Match"
)
CORS_EXPOSED_HEADERS = "ETag, Link, Location, X-Request-ID, Retry-After"


@pytest.fixture(scope="module")
def cors_client(seeded_database: str) -> Iterator[TestClient]:
    settings = Settings(database_url=seeded_database, cors_origins=[ALLOWED])
    with TestClient(create_app(settings)) as client:
        yield client


def test_cors_preflight(cors_client):
    request = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"}
    allowed = cors_client.options(EVENTS, headers={"Origin": ALLOWED, **request})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert allowed.headers["access-control-allow-methods"] == "GET, HEAD, POST, PATCH, DELETE, OPTIONS"
    assert allowed.headers["access-control-allow-headers"] == CORS_ALLOWED_HEADERS
    assert allowed.headers["access-control-max-age"] == "600"
    refused = cors_client.options(EVENTS, headers={"Origin": DISALLOWED, **request})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


def test_cors_preflight_of_an_edit(cors_client):
    request = {
        "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization, if-match, content-type",
    }
    allowed = cors_client.options("/api/v1/events/putin-trump-alaska-summit", headers={"Origin": ALLOWED, **request})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert allowed.headers["access-control-allow-headers"] == CORS_ALLOWED_HEADERS
    # A header the API never reads is not let through.
    other = {"Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "x-forwarded-for"}
    refused = cors_client.options(EVENTS, headers={"Origin": ALLOWED, **other})
    assert (refused.status_code, refused.text) == (400, "Disallowed CORS headers")


def test_cors_simple_get(cors_client):
    allowed = cors_client.get(EVENTS, headers={"Origin": ALLOWED})
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert allowed.headers["access-control-expose-headers"] == CORS_EXPOSED_HEADERS
    assert allowed.headers["vary"] == "Accept, Origin"
    refused = cors_client.get(EVENTS, headers={"Origin": DISALLOWED})
    assert refused.status_code == 200
    assert "access-control-allow-origin" not in refused.headers
    assert refused.headers["vary"] == "Accept, Origin"
    # A cache must not hand a response made without Origin to a cross-origin request.
    assert cors_client.get(EVENTS).headers["vary"] == "Accept, Origin"


def test_cors_headers_on_304_and_problems(cors_client):
    etag = cors_client.get(EVENTS, headers={"Origin": ALLOWED}).headers["etag"]
    not_modified = cors_client.get(EVENTS, headers={"Origin": ALLOWED, "If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.headers["access-control-allow-origin"] == ALLOWED
    assert not_modified.headers["access-control-expose-headers"] == CORS_EXPOSED_HEADERS
    for path, status in (("/api/v1/events/no-such-event", 404), ("/api/v1/events?limit=0", 422)):
        problem = cors_client.get(path, headers={"Origin": ALLOWED})
        assert problem.status_code == status
        assert problem.headers["access-control-allow-origin"] == ALLOWED


def test_any_origin(seeded_database):
    with TestClient(create_app(Settings(database_url=seeded_database, cors_origins=["*"]))) as client:
        response = client.get(EVENTS, headers={"Origin": DISALLOWED})
    assert response.headers["access-control-allow-origin"] == "*"


def test_no_cors_headers_without_the_setting(client):
    assert client.app.state.settings.cors_origins == []
    response = client.get(EVENTS, headers={"Origin": ALLOWED})
    assert response.status_code == 200
    assert not [name for name in response.headers if name.startswith("access-control-")]
    assert response.headers["vary"] == "Accept"
    preflight = client.options(EVENTS, headers={"Origin": ALLOWED, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 405
    assert not [name for name in preflight.headers if name.startswith("access-control-")]
