"""Every error the API returns, as RFC 9457 problem details, produced in this one place."""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.api.responses import ProblemResponse
from app.database import is_statement_timeout
from app.queries.fulltext import SearchSyntaxError
from app.queries.keyset import SortError

log = logging.getLogger("geoevents.api")

# A 422 lists at most this many errors: a request with thousands of bad parameters must
# not get an answer thousands of times its size.
MAX_LISTED_ERRORS = 20
# How long a client should wait before trying a statement that ran out of time again.
RETRY_AFTER_SECONDS = 5

# Problem types this API defines; each `type` URI resolves to a description at /problems/{name}.
PROBLEM_TYPES: dict[str, str] = {
    "not-found": "The URL names no resource: an unknown id or path.",
    "invalid-parameters": "A query parameter or body is missing, malformed or out of range; `errors` lists each one.",
    "invalid-search": "The `q` search could not be parsed; see `detail` for where.",
    "invalid-cursor": "The cursor is not one this API issued for this query; start again from the first page.",
    "not-acceptable": "None of the media types the Accept header names is one this resource can produce.",
    "method-not-allowed": "The resource exists but does not support this HTTP method.",
    "internal-error": "The server failed; the failure is logged and nothing about it is shown to clients.",
    "unavailable": "The service cannot answer now (database down or schema out of date); retry later.",
    "statement-timeout": "A database statement ran longer than the service allows (GEOEVENTS_STATEMENT_TIMEOUT_MS) "
    "and was stopped; retry after `Retry-After` seconds, or ask for less (narrower filters, a smaller page).",
    "uri-too-long": "The URL's path or query string is longer than this service reads; send fewer or shorter "
    "parameters.",
    "unauthorized": "The request needs a bearer token (`Authorization: Bearer geo_...`) and sent none, or one that "
    "is wrong or revoked.",
    "forbidden": "The bearer token is valid but its scope does not allow this request.",
    "conflict": "The edit contradicts what is stored: the id is taken, the record belongs to a coding file or an "
    "import (edit it there), or other records depend on it.",
    "precondition-required": "PATCH and DELETE need an If-Match header with the record's ETag, so that a change "
    "made since cannot be overwritten unseen.",
    "precondition-failed": "The record changed since the ETag in If-Match was issued: GET it again and redo the edit.",
    "invalid-coding": "A document coding has problems; `errors` lists each with its entry and field, as "
    "`geoevents seed` reports them. Nothing was written.",
    "body-too-large": "The request body is larger than the server accepts (GEOEVENTS_MAX_BODY_BYTES), "
    "or holds more than 100000 JSON values.",
    "unsupported-media-type": "The request body's Content-Type is not one this operation accepts "
    "(see the Accept-Post or Accept-Patch header).",
    "invalid-json": "The request body is not well-formed UTF-8 JSON.",
    "http-error": "An HTTP error without a more specific type.",
}


class Problem(Exception):
    """Raise to answer with a problem; `extra` members are added to the body."""

    def __init__(self, status: int, kind: str, detail: str, **extra: Any):
        assert kind in PROBLEM_TYPES, kind
        self.status, self.kind, self.detail, self.extra = status, kind, detail, extra
        super().__init__(detail)


def problem_response(status: int, kind: str, detail: str, request: Request, **extra: Any) -> ProblemResponse:
    """The problem+json answer; never stored by a cache (it may not hold a moment later)."""
    body = {
        "type": f"/problems/{kind}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return ProblemResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def internal_error(request: Request) -> ProblemResponse:
    """The 500 problem: says nothing about the failure, which is logged instead."""
    return problem_response(500, "internal-error", "The server failed to answer this request.", request)


def _for_http_status(status: int) -> str:
    return {404: "not-found", 405: "method-not-allowed"}.get(status, "http-error")


def install(app: FastAPI) -> None:
    """Route every kind of error through problem_response."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> ProblemResponse:
        return problem_response(error.status, error.kind, error.detail, request, **error.extra)

    @app.exception_handler(SearchSyntaxError)
    async def _search(request: Request, error: SearchSyntaxError) -> ProblemResponse:
        return problem_response(400, "invalid-search", str(error), request)

    @app.exception_handler(SortError)
    async def _sort(request: Request, error: SortError) -> ProblemResponse:
        errors = [{"location": "query.sort", "message": str(error)}]
        return problem_response(422, "invalid-parameters", f"query.sort: {error}", request, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> ProblemResponse:
        detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).description
        if error.status_code == 404 and detail == "Not Found":
            detail = f"No resource at {request.url.path}."
        allow = _allowed_methods(request) if error.status_code == 405 else None
        if allow:
            detail = f"{request.method} is not allowed on {request.url.path}; use {allow}."
        response = problem_response(error.status_code, _for_http_status(error.status_code), detail, request)
        if error.headers:
            response.headers.update(error.headers)
        if allow:
            response.headers["Allow"] = allow
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> ProblemResponse:
        errors = [
            {
                "location": ".".join(str(part) for part in item["loc"]),
                "message": item["msg"].removeprefix("Value error, "),
                **({"input": item["input"]} if _plain(item.get("input")) else {}),
            }
            for item in error.errors()
        ]
        detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors[:MAX_LISTED_ERRORS])
        if len(errors) > MAX_LISTED_ERRORS:
            detail += f"; and {len(errors) - MAX_LISTED_ERRORS} more"
        return problem_response(422, "invalid-parameters", detail, request, errors=errors[:MAX_LISTED_ERRORS])

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, error: DBAPIError) -> ProblemResponse:
        if not is_statement_timeout(error):
            log.exception("database error on %s %s (request %s)", request.method, request.url.path, _id(request))
            return internal_error(request)
        log.warning("statement time limit reached on %s %s (request %s)", request.method, request.url, _id(request))
        detail = "The request took longer than this service allows and was stopped; retry later or ask for less."
        response = problem_response(503, "statement-timeout", detail, request)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> ProblemResponse:
        log.exception("unhandled error on %s %s (request %s)", request.method, request.url.path, _id(request))
        return internal_error(request)


def _id(request: Request) -> str | None:
    # The request id, set by app.api.middleware.request_id (which imports this module).
    return request.scope.get("state", {}).get("request_id")


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> str | None:
    """`Allow` for a 405: every method the OpenAPI document lists for the path.

    The router only knows the methods of the first route whose path matched, but reads and
    writes of one path live in different routers. Where several templates match
    (/events/facets and /events/{event_id}), the one with the fewest parameters is the
    path's own. HEAD goes wherever GET does (app.api.middleware.head.HeadAsGet answers it), though the
    document leaves it out. None for paths the document does not describe (the router's
    answer stands).
    """
    templates = getattr(request.app.state, "documented_methods", None)
    if templates is None:
        templates = []
        for path, operations in request.app.openapi()["paths"].items():
            methods = {method.upper() for method in operations if method.upper() in _METHODS}
            if "GET" in methods:
                methods.add("HEAD")
            templates.append((compile_path(path)[0], path.count("{"), frozenset(methods)))
        request.app.state.documented_methods = templates
    found: list[tuple[int, frozenset[str]]] = [
        (parameters, methods) for regex, parameters, methods in templates if regex.match(request.scope["path"])
    ]
    if not found:
        return None
    fewest = min(parameters for parameters, _ in found)
    return ", ".join(sorted(set().union(*(methods for parameters, methods in found if parameters == fewest))))


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and not isinstance(value, bytes)
