"""Every error the API returns, as RFC 9457 problem details, produced in this one place."""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.responses import ProblemResponse
from app.queries.fulltext import SearchSyntaxError
from app.queries.keyset import SortError

log = logging.getLogger("geoevents.api")

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
    "http-error": "An HTTP error without a more specific type.",
}


class Problem(Exception):
    """Raise to answer with a problem; `extra` members are added to the body."""

    def __init__(self, status: int, kind: str, detail: str, **extra: Any):
        assert kind in PROBLEM_TYPES, kind
        self.status, self.kind, self.detail, self.extra = status, kind, detail, extra
        super().__init__(detail)


def problem_response(status: int, kind: str, detail: str, request: Request, **extra: Any) -> ProblemResponse:
    body = {
        "type": f"/problems/{kind}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return ProblemResponse(body, status_code=status)


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
        response = problem_response(error.status_code, _for_http_status(error.status_code), detail, request)
        if error.headers:
            response.headers.update(error.headers)
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
        detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
        return problem_response(422, "invalid-parameters", detail, request, errors=errors)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> ProblemResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(500, "internal-error", "The server failed to answer this request.", request)


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and not isinstance(value, bytes)
