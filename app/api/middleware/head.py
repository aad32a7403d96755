"""HEAD answered wherever GET is: the GET route runs, and its body is dropped here."""

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Set in the scope of a HEAD run as GET: a streamed export reads it to skip its body's work
# (dropping the bytes here would still read and write every event first).
HEAD_AS_GET = "geoevents.head_as_get"


class HeadAsGet:
    """FastAPI routes declare GET alone (so the OpenAPI document lists no HEAD operations),
    and the router would answer HEAD with a 405.

    It sits outside the caching middleware, so the 304 shortcut and a record's strong
    ETag, a digest of its body, are exactly the GET's. The layers outside it, and the
    server, still see HEAD.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        as_get = {**scope, "method": "GET", HEAD_AS_GET: True}
        if not any(route.matches(as_get)[0] == Match.FULL for route in scope["app"].router.routes):
            # No GET here either: the router's own 404 or 405 (with Allow) stands.
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(as_get, receive, without_body)
