"""Access logs: one JSON line per request on the `geoevents.access` logger."""

import logging
import time

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.request_id import request_id

log = logging.getLogger("geoevents.access")

# A path or query string is cut to this many characters in the log: a client must not be
# able to write megabytes into it (the limits middleware refuses longer URLs anyway).
MAX_LOGGED_CHARS = 2048

# What `geoevents serve` hands uvicorn: its own loggers as usual, but no text access log
# of its own (this one replaces it), and the JSON lines written as they are, to stderr.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": "%(levelprefix)s %(message)s"},
        "json_line": {"format": "%(message)s"},
    },
    "handlers": {
        "default": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "json_line", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "geoevents": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "geoevents.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}


def _cut(text: str) -> str:
    return text if len(text) <= MAX_LOGGED_CHARS else text[:MAX_LOGGED_CHARS] + "…"


class AccessLogMiddleware:
    """Times each request from its arrival to its last body byte and logs what was answered.

    The line is JSON, so a path or query full of quotes, newlines or control characters
    cannot forge another line or field.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None
        sent = 0
        # The server drops a HEAD answer's body: none of it goes out.
        counts_body = scope["method"] != "HEAD"

        async def counting_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and counts_body:
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            # Also when the answer broke off (a failed stream): the line says what got out.
            client = scope.get("client")
            entry = {
                "method": scope["method"],
                "path": _cut(scope["path"]),
                "query": _cut(scope.get("query_string", b"").decode("latin-1")),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "request_id": request_id(scope),
                "bytes": sent,
                "client": client[0] if client else None,
            }
            log.info(orjson.dumps(entry).decode())
