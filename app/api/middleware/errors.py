"""Any exception becomes the 500 problem inside the middleware stack.

Starlette answers an unhandled exception in ServerErrorMiddleware, outside every other
middleware, so that 500 would lack CORS headers, `no-store` and the request id. This
middleware sits inside those and answers first.
"""

import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.request_id import request_id
from app.api.problems import internal_error

log = logging.getLogger("geoevents.api")


class ServerErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                # Too late for a problem: part of another answer is out. Raising makes the
                # server break the connection, so a client never takes a cut-off export
                # for a whole one.
                log.exception("failed while answering %s %s (request %s)", scope["method"], scope["path"],
                              request_id(scope))
                raise
            log.exception("unhandled error on %s %s (request %s)", scope["method"], scope["path"], request_id(scope))
            await internal_error(Request(scope))(scope, receive, send)
