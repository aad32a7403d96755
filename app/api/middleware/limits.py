"""Refuse what no route could answer before any work: overlong URLs, NUL in a path.

A URL longer than any honest request (the longest lists the API takes fit many times
over) is a 414 problem, so no parser, validator or error message scales with it. A path
holding NUL names nothing (ids are slugs), and PostgreSQL cannot even compare such a
string: it is a 404 problem, as for any other unknown id.
"""

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.params import MAX_VALUES
from app.api.problems import problem_response

MAX_PATH_BYTES = 2048
MAX_QUERY_BYTES = 16384


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path_bytes = len(scope.get("raw_path") or scope["path"].encode())
        query_bytes = len(scope.get("query_string", b""))
        if path_bytes <= MAX_PATH_BYTES and query_bytes <= MAX_QUERY_BYTES and "\x00" not in scope["path"]:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if path_bytes > MAX_PATH_BYTES:
            detail = f"The path is {path_bytes} bytes long; this service reads paths of at most {MAX_PATH_BYTES}."
            # The instance would echo the overlong path: name its start only.
            response = problem_response(414, "uri-too-long", detail, request, instance=scope["path"][:200] + "…")
        elif query_bytes > MAX_QUERY_BYTES:
            detail = (
                f"The query string is {query_bytes} bytes long; this service reads at most {MAX_QUERY_BYTES} "
                f"(a list parameter takes at most {MAX_VALUES} values)."
            )
            response = problem_response(414, "uri-too-long", detail, request)
        else:
            response = problem_response(404, "not-found", "No resource has a NUL character in its path.", request)
        await response(scope, receive, send)
