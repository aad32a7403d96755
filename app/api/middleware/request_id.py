"""Request ids: taken from a sane incoming `X-Request-ID` or made up, and sent back on every response."""

import re
import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
# Visible ASCII only, so an id is safe to echo in a header and to log; bounded, so a client
# cannot make every log line huge. Anything else is replaced, not refused.
_SANE = re.compile(r"[\x21-\x7e]{1,128}")


def request_id(scope: Scope) -> str | None:
    """The id RequestIdMiddleware gave this request (None outside it)."""
    return scope.get("state", {}).get("request_id")


def choose_id(incoming: str | None) -> str:
    """The client's id when it is sane, else a new random one (32 hex digits)."""
    if incoming is not None and _SANE.fullmatch(incoming):
        return incoming
    return secrets.token_hex(16)


class RequestIdMiddleware:
    """Outermost: every response, 304s and problems included, carries the request's id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = choose_id(Headers(scope=scope).get(HEADER))
        # Request.state reads scope["state"], so routes and handlers can see it too.
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        await self.app(scope, receive, send_with_id)
