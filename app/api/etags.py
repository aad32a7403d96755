"""Entity tags: how they are made, compared, and what they are made from.

A weak tag stands for what a request selects at one state of the data; a record page's
strong tag is a digest of its bytes (app.api.caching explains when each is used).
"""

import base64
import hashlib
import logging
import re
from typing import NamedTuple

import orjson
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers
from starlette.types import Scope

from app.queries.changes import data_state

log = logging.getLogger("geoevents.api")

_OPAQUE_TAG = re.compile(r'(?:W/)?"([^"]*)"')
_ANY_TAG = re.compile(r'(W/)?"([^"]*)"')

class DataState(NamedTuple):
    """Which data a database holds: its version, and which history led there."""

    version: int
    history: str


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


def entity_tag(state: DataState, fingerprint: str, scope: Scope) -> str:
    """The weak ETag of what `scope` asks for in the data `state`."""
    headers = Headers(scope=scope)
    selects = [
        state.history,
        fingerprint,
        scope.get("scheme", "http"),
        headers.get("host", ""),
        scope.get("root_path", "") + scope["path"],
        scope.get("query_string", b"").decode("latin-1"),
        headers.get("accept", ""),
    ]
    digest = hashlib.sha256(orjson.dumps(selects)).digest()[:12]
    return f'W/"{state.version}-{base64.urlsafe_b64encode(digest).decode()}"'


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


def read_state(engine: Engine) -> DataState | None:
    """The data version and history of the database, or None when it cannot be read."""
    try:
        with engine.connect() as connection:
            return DataState(*data_state(connection))
    except SQLAlchemyError:
        # The route will answer with its own problem (or /health explains); send no ETag.
        log.warning("cannot read the data version; answering without an ETag", exc_info=True)
        return None
