"""HTTP caching: ETags from the data version, conditional GETs, Cache-Control and Vary.

The data changes only when curators re-seed, at no predictable time, so a response has no
freshness lifetime to promise, but it stays valid until the next seed. Hence:

- a successful GET is `Cache-Control: public, no-cache`: any cache may store it but must
  revalidate it on every use, and revalidating costs one primary-key lookup (the highest
  change `seq`) and a bodiless 304, never a query of the data or a serialisation;
- its weak `ETag` is the data version plus a digest of what selects the representation
  (scheme, host, path, query string, `Accept`, and the code and cursor secret that
  render it) and of the database's history (the time of its last change: a database
  rebuilt up to the same version is another database), so it is known before the route
  runs and the 200 is streamed unbuffered;
- errors are `no-store` and carry no ETag: a 404 for an id a seed may add, or a
  refusal while the database is down, must not be replayed; /health is `no-store`, a
  probe must reach the live service;
- `Vary: Accept`, since one URL may answer in several formats (CORSMiddleware, outside
  this one, adds `Origin`);
- a record's own page (`/api/v1/events/{id}`, `/actors/{id}`, `/regions/{id}`,
  `/quotes/{id}`, `/sources/{id}`) gets a strong ETag instead: a digest of its body, so
  it changes when, and only when, that page's bytes do. The editing API compares it with
  `If-Match` (app/api/routes/edit_common.py) so two curators never overwrite each other.
  Each process remembers the strong tags it sent under the weak tag of their request, so
  revalidating a record page it has served at this version is a 304 without the route;
  Any route may set an ETag of its own; it is kept, and `If-None-Match` naming it is a 304;
- when reads need a token (GEOEVENTS_REQUIRE_TOKEN_FOR_READS), a GET under /api/v1 is
  authenticated here, before a 304 could answer it, and its answers are `private`: a
  shared cache must not hand them to someone without a token.

The version is read in its own short transaction before the route reads the data, so a
seed committed in between can only make the body newer than its tag, never older: the
next revalidation then misses and fetches the new body, where the reverse would let a
client keep a stale body with 304s.
"""

import re
from collections import OrderedDict

import anyio.to_thread
from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.auth import Denial, authenticate
from app.api.etags import (  # noqa: F401 - matches, record_tag and strongly_matches are this module's API too
    code_fingerprint,
    entity_tag,
    matches,
    read_state,
    record_tag,
    strongly_matches,
)

CACHEABLE = "public, no-cache"
PRIVATE = "private, no-cache"
NO_STORE = "no-store"
API_PREFIX = "/api/v1/"
# Served live whatever the data version; /static has validators of its own (StaticFiles).
LIVE_PATHS = ("/health",)
STATIC_PREFIX = "/static/"
# Copied from a 200 to the 304 that stands for it (RFC 9110, section 15.4.5).
_KEPT_ON_304 = ("cache-control", "content-location", "etag", "expires", "vary")
# The detail route of each record type: its body is its representation, tagged strongly.
# (FastAPI before 0.120 copies included routes with the /api/v1 prefix; later ones keep the
# router's own route, whose path starts at the router's prefix.)
_RECORD_ROUTE = re.compile(r"(?:/api/v1)?/(?:events|actors|regions|quotes|sources)/\{[^}/]+\}")
# How many record pages' strong tags a process remembers (about 150 bytes each).
REMEMBERED_RECORD_TAGS = 20_000


def install(app: FastAPI) -> None:
    """Add ETag, If-None-Match and Cache-Control handling to every GET."""
    app.add_middleware(CachingMiddleware)


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
        state = await anyio.to_thread.run_sync(read_state, app.state.engine)
        if state is None:
            await self.app(scope, receive, _Answer(send, scope, etag=None, success=NO_STORE))
            return
        etag = entity_tag(state, code_fingerprint(app), scope)
        record_tags = _record_tags(app)
        answer = _Answer(send, scope, etag=etag, success=success, if_none_match=if_none_match, record_tags=record_tags)
        # A record page is sent with the strong tag of its body instead, known once served.
        sent_tag = record_tags.get(etag, etag)
        if scope["method"] == "GET" and if_none_match.strip() != "*" and matches(if_none_match, sent_tag):
            # Only a 200 ever carried this tag, and at this version that 200 is the answer
            # again: 304 without running the route.
            headers = [] if sent_tag == etag else [(b"etag", sent_tag.encode())]
            await answer({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
        else:
            # "*" matches any current representation, and a route may tag its answer
            # itself: only the route knows, so it runs, and a success whose tag the request
            # names becomes a 304. HEAD arrives here as GET wherever a GET route answers
            # (app.api.middleware.head); one still HEAD has none, so the router's 404 or
            # 405 stands rather than a 304.
            await self.app(scope, receive, answer)


def _record_tags(app: FastAPI) -> "OrderedDict[str, str]":
    """The strong tags of record pages this process sent, by the weak tag of their request
    (which holds the data version): least recently used first. Only the event loop uses it."""
    tags = getattr(app.state, "record_tags", None)
    if tags is None:
        tags = app.state.record_tags = OrderedDict()
    return tags


class _Answer:
    """`send` with caching headers added to the response start (an ETag only on success),
    a record's page tagged by its body, and a success the request already holds turned
    into a bodiless 304."""

    def __init__(
        self,
        send: Send,
        scope: Scope,
        *,
        etag: str | None,
        success: str,
        vary: bool = True,
        if_none_match: str = "",
        record_tags: "OrderedDict[str, str] | None" = None,
    ) -> None:
        self.send, self.scope = send, scope
        self.etag, self.success, self.vary, self.if_none_match = etag, success, vary, if_none_match
        self.record_tags = record_tags
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
                strong = MutableHeaders(scope=start)["ETag"] = record_tag(body)
                self._remember(strong)
                await self._start(start)
                await self.send({"type": "http.response.body", "body": b"" if self.not_modified else body})
        elif message["type"] == "http.response.body" and self.not_modified:
            if not message.get("more_body", False):
                await self.send({"type": "http.response.body", "body": b""})
        else:
            await self.send(message)

    def _remember(self, strong: str) -> None:
        if self.record_tags is None or self.etag is None:
            return
        self.record_tags[self.etag] = strong
        self.record_tags.move_to_end(self.etag)
        while len(self.record_tags) > REMEMBERED_RECORD_TAGS:
            self.record_tags.popitem(last=False)

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
