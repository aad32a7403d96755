"""The editing routes' gate: the token first, then the body's media type, size and shape,
all before FastAPI reads the body.

So an anonymous client never makes the server read a body, an oversized body is refused
from its Content-Length (or as soon as the stream passes the limit) instead of being held
in memory, and only JSON that is well-formed, at most MAX_DEPTH deep and of at most
MAX_VALUES values reaches validation.
"""

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from app.api.auth import Denial, authenticate
from app.api.problems import Problem, problem_response

MAX_DEPTH = 32
MAX_VALUES = 100_000
# What each method's body may be; the 415 names them in Accept-Post / Accept-Patch.
MEDIA_TYPES = {"POST": ("application/json",), "PATCH": ("application/merge-patch+json", "application/json")}


class EditRoute(APIRoute):
    """An API route that writes: token (write scope), then body checks, then FastAPI's own handling."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            engine = request.app.state.engine
            outcome = await run_in_threadpool(authenticate, engine, request.headers.get("authorization"), "write")
            if isinstance(outcome, Denial):
                return outcome.response(request.scope)
            request.state.token_owner = outcome
            if request.method in MEDIA_TYPES:
                refusal = _unsupported(request)
                if refusal is not None:
                    return refusal
                body = await _read_limited(request, request.app.state.settings.max_body_bytes)
                # Handed to FastAPI as already read and parsed (Starlette caches both); an empty
                # body is left for FastAPI to call missing.
                request._body = body
                if body:
                    request._json = parse(body)
            return await handler(request)

        return guarded


def _unsupported(request: Request) -> Response | None:
    """A 415 unless the Content-Type is one of the method's JSON media types, in UTF-8."""
    allowed = MEDIA_TYPES[request.method]
    media, *parameters = (part.strip() for part in request.headers.get("content-type", "").split(";"))
    charset = next(
        (p.split("=", 1)[1].strip('" ').lower() for p in parameters if p.lower().startswith("charset=")), "utf-8"
    )
    if media.lower() in allowed and charset in ("utf-8", "utf8"):
        return None
    sent = request.headers.get("content-type")
    detail = (
        f"The body must be {' or '.join(allowed)} (UTF-8), not {sent!r}."
        if sent
        else f"The body needs a Content-Type: {' or '.join(allowed)}."
    )
    response = problem_response(415, "unsupported-media-type", detail, request)
    response.headers[f"Accept-{request.method.title()}"] = ", ".join(allowed)
    return response


async def _read_limited(request: Request, limit: int) -> bytes:
    """The body, or a 413 as soon as it is known to be longer than `limit` bytes."""
    too_large = Problem(413, "body-too-large", f"The body is larger than {limit} bytes.")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def parse(body: bytes) -> Any:
    """Well-formed JSON of bounded depth and size, or a problem saying what is wrong with it."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        if "depth" in str(error) or "recursion" in str(error):
            raise _too_deep() from None
        raise Problem(400, "invalid-json", f"The body is not valid JSON: {error}.") from None
    count, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise Problem(413, "body-too-large", f"The body holds more than {MAX_VALUES} JSON values.")
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep()
            children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(node, str) and "\x00" in node:
            # PostgreSQL text cannot hold NUL, and no coded text needs it.
            message = "strings may not contain the NUL character (\\u0000)"
            raise Problem(
                422, "invalid-parameters", f"body: {message}.", errors=[{"location": "body", "message": message}]
            )
    return value


def _too_deep() -> Problem:
    message = f"JSON nested deeper than {MAX_DEPTH} levels"
    return Problem(422, "invalid-parameters", f"body: {message}.", errors=[{"location": "body", "message": message}])
