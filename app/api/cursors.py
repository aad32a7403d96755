"""Opaque, signed pagination cursors bound to the query that issued them.

A cursor carries the sort values of the last row served and a fingerprint of the query
(path, filters, sort). The HMAC makes a tampered cursor fail loudly instead of silently
serving a wrong page; the fingerprint does the same for a cursor pasted onto another query.
"""

import base64
import hashlib
import hmac
from typing import Any

import orjson

from app.api.problems import Problem

# Parameters that change how a page looks, not which rows follow which: a cursor stays valid
# across them (page through JSON, then export the rest as CSV).
_PRESENTATION = ("cursor", "limit", "count", "fields", "include", "format")


def fingerprint(path: str, query: dict[str, Any]) -> str:
    """What identifies a row sequence across its pages: path, filters and sort."""
    stable = {k: v for k, v in sorted(query.items()) if k not in _PRESENTATION and v not in (None, [])}
    digest = hashlib.sha256(orjson.dumps([path, stable], default=str)).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


def _sign(secret: str, payload: bytes) -> str:
    mac = hmac.new(secret.encode(), payload, hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(mac).decode()


def encode(values: list[Any], query_fingerprint: str, secret: str) -> str:
    payload = base64.urlsafe_b64encode(orjson.dumps({"v": values, "q": query_fingerprint})).rstrip(b"=")
    return f"{payload.decode()}.{_sign(secret, payload)}"


def decode(token: str, query_fingerprint: str, secret: str) -> list[Any]:
    """The sort values a cursor carries; a 400 problem if it is not this query's own."""
    try:
        payload, signature = token.split(".", 1)
        if not hmac.compare_digest(_sign(secret, payload.encode()), signature):
            raise ValueError("bad signature")
        body = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        values = body["v"]
        if not isinstance(values, list):
            raise ValueError("no values")
    except (ValueError, KeyError, TypeError):
        raise Problem(400, "invalid-cursor", "The cursor is malformed or was altered.") from None
    if body.get("q") != query_fingerprint:
        raise Problem(400, "invalid-cursor", "The cursor belongs to a different query (path, filters or sort).")
    return values
