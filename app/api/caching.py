"""HTTP caching: ETags from the data version, conditional GETs, Cache-Control and Vary.

The data changes only when curators re-seed, at no predictable time, so a response has no
freshness lifetime to promise, but it stays valid until the next seed. Hence:

- a successful GET is `Cache-Control: public, no-cache`: any cache may store it but must
  revalidate it on every use, and revalidating costs one primary-key lookup (the highest
  change `seq`) and a bodiless 304, never a query of the data or a serialisation;
- its weak `ETag` is the data version plus a digest of what selects the representation
  (scheme, host, path, query string, `Accept`, and the code and cursor secret that
  render it), so it is known before the route runs and the 200 is streamed unbuffered;
- errors are `no-store` and carry no ETag: a 404 for an id a seed may add, or a
  refusal while the database is down, must not be replayed; /health is `no-store`, a
  probe must reach the live service;
- `Vary: Accept`, since one URL may answer in several formats (CORSMiddleware, outside
  this one, adds `Origin`);
- a record's own page (`/api/v1/events/{id}`, `/actors/{id}`, `/regions/{id}`,
  `/quotes/{id}`, `/sources/{id}`) gets a strong ETag instead: a digest of its body, so
  it changes when, and only when, that page's bytes do. The editing API compares it with
  `If-Match` (app/api/routes/edit_common.py) so two curators never overwrite each other.
  Any route may set an ETag of its own; it is kept, and `If-None-Match` naming it is a 304;
- when reads need a token (GEOEVENTS_REQUIRE_TOKEN_FOR_READS), a GET under /api/v1 is
  authenticated here, before a 304 could answer it, and its answers are `private`: a
  shared cache must not hand them to someone without a token.

The version is read in its own short transaction before the route reads the data, so a
seed committed in between can only make the body newer than its tag, never older: the
next revalidation then misses and fetches the new body, where the reverse would let a
client keep a stale body with 304s.
"""

import base64
import hashlib
import logging
import re

import anyio.to_thread
import orjson
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.auth import Denial, authenticate
from app.queries.changes import data_version

log = logging.getLogger("geoevents.api")

CACHEABLE = "public, no-cache"
PRIVATE = "private, no-cache"
NO_STORE = "no-store"
API_PREFIX = "/api/v1/"
# Served live whatever the data version; /static has validators of its own (StaticFiles).
LIVE_PATHS = ("/health",)
STATIC_PREFIX = "/static/"
# Copied from a 200 to the 304 that stands for it (RFC 9110, section 15.4.5).
_KEPT_ON_304 = ("cache-control", "content-location", "etag", "expires", "vary")
_OPAQUE_TAG = re.compile(r'(?:W/)?"([^"]*)"')
_ANY_TAG = re.compile(r'(W/)?"([^"]*)"')
# The detail route of each record type: its body is its representation, tagged strongly.
# (FastAPI before 0.120 copies included routes with the /api/v1 prefix; later ones keep the
# router's own route, whose path starts at the router's prefix.)
_RECORD_ROUTE = re.compile(r"(?:/api/v1)?/(?:events|actors|regions|quotes|sources)/\{[^}/]+\}")


def install(app: FastAPI) -> None:
    """Add ETag, If-None-Match and Cache-Control handling to every GET."""
    app.add_middleware(CachingMiddleware)


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match list names `etag`, by weak comparison (RFC 9110, 8.8.3.2)."""
    wanted = _OPAQUE_TAG.fullmatch(etag)
    if wanted is None:
        return False
    return any(tag.group(1) == wanted.group(1) for tag in _OPAQUE_TAG.finditer(if_none_match))


def strongly_matches(if_match: str, etag: str) -> bool:
    """Whether an If-Match list names `etag`, by strong comparison (RFC 9110, 8.8.3.2): weak tags never match."""
    wanted = _ANY_TAG.fullmatch(etag)
    if wanted is None or wanted.group(1):
        return False
    return any(not tag.group(1) and tag.group(2) == wanted.group(2) for tag in _ANY_TAG.finditer(if_match))


def record_tag(body: bytes) -> str:
    """The strong ETag of a record's page: a digest of exactly these bytes."""
    digest = hashlib.sha256(body).digest()[:18]
    return f'"{base64.urlsafe_b64encode(digest).decode()}"'


def entity_tag(version: int, fingerprint: str, scope: Scope) -> str:
    """The weak ETag of what `scope` asks for at data `version`."""
    headers = Headers(scope=scope)
    selects = [
        fingerprint,
        scope.get("scheme", "http"),
        headers.get("host", ""),
        scope.get("root_path", "") + scope["path"],
        scope.get("query_string", b"").decode("latin-1"),
        headers.get("accept", ""),
    ]
    digest = hashlib.sha256(orjson.dumps(selects)).digest()[:12]
    return f'W/"{version}-{base64.urlsafe_b64encode(digest).decode()}"'


def code_fingerprint(app: FastAPI) -> str:
    """What renders the data besides the data: the API's version and shape, the cursor key.

    A deploy that changes a representation must change its ETags too, or clients would
    keep revalidating an old shape with 304s until the next seed.
    """
    cached = getattr(app.state, "representation_fingerprint", None)
    if cached is None:
        parts = [app.version, app.openapi(), app.state.settings.cursor_secret]
        cached = hashlib.sha256(orjson.dumps(parts)).hexdigest()
        app.state.representation_fingerprint = cached
    return cached


def _read_version(engine: Engine) -> int | None:
    try:
        with engine.connect() as connection:
            return data_version(connection)
    except SQLAlchemyError:
        # The route will answer with its own problem (or /health explains); send no ETag.
        log.warning("cannot read the data version; answering without an ETag", exc_info=True)
        return None


class CachingMiddleware:
    """Pure ASGI, so streamed bodies pass through untouched: only the start message changes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        # Several If-None-Match lines make one list (RFC 9110, section 5.3).
        if_none_match = ", ".join(Headers(scope=scope).getlist("if-none-match"))
        if path in LIVE_PATHS:
            await self.app(scope, receive, _Answer(send, scope, etag=None, success=NO_STORE, vary=False))
            return
        if path.startswith(STATIC_PREFIX):
            await self.app(scope, receive, _Answer(send, scope, etag=None, success=CACHEABLE, vary=False))
            return
        app = scope["app"]
        success = CACHEABLE
        if app.state.settings.require_token_for_reads and path.startswith(API_PREFIX):
            authorization = Headers(scope=scope).get("authorization")
            outcome = await anyio.to_thread.run_sync(authenticate, app.state.engine, authorization, "read")
            if isinstance(outcome, Denial):
                await outcome.response(scope)(scope, receive, _Answer(send, scope, etag=None, success=NO_STORE))
                return
            success = PRIVATE
        # Read per request, before the route: another process may have re-seeded.
        version = await anyio.to_thread.run_sync(_read_version, app.state.engine)
        if version is None:
            await self.app(scope, receive, _Answer(send, scope, etag=None, success=NO_STORE))
            return
        etag = entity_tag(version, code_fingerprint(app), scope)
        answer = _Answer(send, scope, etag=etag, success=success, if_none_match=if_none_match)
        if scope["method"] == "GET" and if_none_match.strip() != "*" and matches(if_none_match, etag):
            # Only a 200 ever carried this tag, and at this version that 200 is the answer
            # again: 304 without running the route.
            await answer({"type": "http.response.start", "status": 304, "headers": []})
            await send({"type": "http.response.body", "body": b""})
        else:
            # "*" matches any current representation, a route may not answer HEAD, and a
            # route may tag its answer itself: only the route knows, so it runs, and a
            # success whose tag the request names becomes a 304.
            await self.app(scope, receive, answer)


class _Answer:
    """`send` with caching headers added to the response start (an ETag only on success),
    a record's page tagged by its body, and a success the request already holds turned
    into a bodiless 304."""

    def __init__(
        self, send: Send, scope: Scope, *, etag: str | None, success: str, vary: bool = True, if_none_match: str = ""
    ) -> None:
        self.send, self.scope = send, scope
        self.etag, self.success, self.vary, self.if_none_match = etag, success, vary, if_none_match
        self.held: Message | None = None  # a record page's start, until its whole body is hashed
        self.chunks: list[bytes] = []
        self.not_modified = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if self._tagged_by_body(message):
                self.held = message
            else:
                await self._start(message)
        elif message["type"] == "http.response.body" and self.held is not None:
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body, start, self.held = b"".join(self.chunks), self.held, None
                MutableHeaders(scope=start)["ETag"] = record_tag(body)
                await self._start(start)
                await self.send({"type": "http.response.body", "body": b"" if self.not_modified else body})
        elif message["type"] == "http.response.body" and self.not_modified:
            if not message.get("more_body", False):
                await self.send({"type": "http.response.body", "body": b""})
        else:
            await self.send(message)

    def _tagged_by_body(self, start: Message) -> bool:
        """A 200 of a record's detail route that carries no validator of its own."""
        if start["status"] != 200 or self.etag is None:
            return False
        headers = Headers(raw=start.get("headers", []))
        if "etag" in headers or "no-store" in headers.get("cache-control", ""):
            return False
        route = self.scope.get("route")
        return _RECORD_ROUTE.fullmatch(getattr(route, "path", "")) is not None

    async def _start(self, message: Message) -> None:
        message.setdefault("headers", [])
        headers = MutableHeaders(scope=message)
        status = message["status"]
        if 200 <= status < 300 or status == 304:
            if "cache-control" not in headers:
                headers["Cache-Control"] = self.success
            # A response that must not be stored (a page with a one-time nonce) gets no tag.
            if self.etag is not None and "etag" not in headers and "no-store" not in headers["cache-control"]:
                headers["ETag"] = self.etag
        elif status >= 400:
            if "etag" in headers:
                del headers["etag"]
            headers["Cache-Control"] = NO_STORE
        if self.vary:
            _vary_on_accept(headers)
        if 200 <= status < 300 and self._already_held(headers):
            self.not_modified = True
            kept = [(k, v) for k, v in message["headers"] if k.decode("latin-1").lower() in _KEPT_ON_304]
            message = {"type": "http.response.start", "status": 304, "headers": kept}
        await self.send(message)

    def _already_held(self, headers: MutableHeaders) -> bool:
        """Whether If-None-Match names this success (or is "*"), so a 304 stands for it."""
        if "no-store" in headers.get("cache-control", "") or not self.if_none_match.strip():
            return False
        return self.if_none_match.strip() == "*" or matches(self.if_none_match, headers.get("etag", ""))


def _vary_on_accept(headers: MutableHeaders) -> None:
    present = {token.strip().lower() for value in headers.getlist("vary") for token in value.split(",")}
    if "accept" not in present and "*" not in present:
        headers["Vary"] = ", ".join([*headers.getlist("vary"), "Accept"])
