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
  this one, adds `Origin`).

The version is read in its own short transaction before the route reads the data, so a
seed committed in between can only make the body newer than its tag, never older: the
next revalidation then misses and fetches the new body, where the reverse would let a
client keep a stale body with 304s.
"""

import base64
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable

import anyio.to_thread
import orjson
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.queries.changes import data_version

log = logging.getLogger("geoevents.api")

CACHEABLE = "public, no-cache"
NO_STORE = "no-store"
# Served live whatever the data version; /static has validators of its own (StaticFiles).
LIVE_PATHS = ("/health",)
STATIC_PREFIX = "/static/"
# Copied from a 200 to the 304 that stands for it (RFC 9110, section 15.4.5).
_KEPT_ON_304 = ("cache-control", "content-location", "etag", "expires", "vary")
_OPAQUE_TAG = re.compile(r'(?:W/)?"([^"]*)"')


def install(app: FastAPI) -> None:
    """Add ETag, If-None-Match and Cache-Control handling to every GET."""
    app.add_middleware(CachingMiddleware)


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match list names `etag`, by weak comparison (RFC 9110, 8.8.3.2)."""
    wanted = _OPAQUE_TAG.fullmatch(etag)
    assert wanted is not None, etag
    return any(tag.group(1) == wanted.group(1) for tag in _OPAQUE_TAG.finditer(if_none_match))


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
        if path in LIVE_PATHS:
            await self.app(scope, receive, _decorated(send, etag=None, success=NO_STORE, vary=False))
            return
        if path.startswith(STATIC_PREFIX):
            await self.app(scope, receive, _decorated(send, etag=None, success=CACHEABLE, vary=False))
            return
        app = scope["app"]
        # Read per request, before the route: another process may have re-seeded.
        version = await anyio.to_thread.run_sync(_read_version, app.state.engine)
        if version is None:
            await self.app(scope, receive, _decorated(send, etag=None, success=NO_STORE))
            return
        etag = entity_tag(version, code_fingerprint(app), scope)
        decorated = _decorated(send, etag=etag, success=CACHEABLE)
        # Several If-None-Match lines make one list (RFC 9110, section 5.3).
        if_none_match = ", ".join(Headers(scope=scope).getlist("if-none-match"))
        any_tag = if_none_match.strip() == "*"
        hit = not any_tag and matches(if_none_match, etag)
        if hit and scope["method"] == "GET":
            # Only a 200 ever carried this tag, and at this version that 200 is the answer
            # again: 304 without running the route.
            await decorated({"type": "http.response.start", "status": 304, "headers": []})
            await send({"type": "http.response.body", "body": b""})
        elif any_tag or hit:
            # "*" matches any current representation, and a route may not answer HEAD:
            # only the route knows, so it runs and a success becomes a 304.
            await self.app(scope, receive, _not_modified_if_found(decorated))
        else:
            await self.app(scope, receive, decorated)


def _decorated(
    send: Send, *, etag: str | None, success: str, vary: bool = True
) -> Callable[[Message], Awaitable[None]]:
    """`send` with caching headers added to the response start: ETag only on success."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            headers = MutableHeaders(scope=message)
            status = message["status"]
            if 200 <= status < 300 or status == 304:
                if "cache-control" not in headers:
                    headers["Cache-Control"] = success
                # A response that must not be stored (a page with a one-time nonce) gets no tag.
                if etag is not None and "no-store" not in headers["cache-control"]:
                    headers["ETag"] = etag
            elif status >= 400:
                if "etag" in headers:
                    del headers["etag"]
                headers["Cache-Control"] = NO_STORE
            if vary:
                _vary_on_accept(headers)
        await send(message)

    return wrapped


def _vary_on_accept(headers: MutableHeaders) -> None:
    present = {token.strip().lower() for value in headers.getlist("vary") for token in value.split(",")}
    if "accept" not in present and "*" not in present:
        headers["Vary"] = ", ".join([*headers.getlist("vary"), "Accept"])


def _not_modified_if_found(send: Send) -> Callable[[Message], Awaitable[None]]:
    """`send` that turns a successful answer into a bodiless 304 (for If-None-Match: *)."""
    replaced = False

    async def wrapped(message: Message) -> None:
        nonlocal replaced
        if message["type"] == "http.response.start" and _stands_for_304(message):
            replaced = True
            kept = [(k, v) for k, v in message.get("headers", []) if k.decode("latin-1").lower() in _KEPT_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
        elif replaced and message["type"] == "http.response.body":
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})
        else:
            await send(message)

    return wrapped


def _stands_for_304(start: Message) -> bool:
    cache_control = Headers(raw=start.get("headers", [])).get("cache-control", "")
    return 200 <= start["status"] < 300 and "no-store" not in cache_control
