"""What every editing route shares: the record page and its ETag, If-Match, refusals as
problems, and the OpenAPI description of all of it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import orjson
from fastapi import Header, Request
from fastapi.routing import APIRouter
from pydantic import BaseModel
from sqlalchemy import Connection
from starlette.responses import Response

from app.api import links, schemas
from app.api.caching import record_tag, strongly_matches
from app.api.problems import Problem
from app.api.responses import JSONResponse
from app.api.routes.edit_body import EditRoute
from app.auth.tokens import TokenOwner
from app.editing.errors import Conflict, Invalid, InvalidCoding, NotFound
from app.editing.records import owned
from app.editing.store import Writer, editing
from app.queries import actors, events, quotes, regions, sources

# How each record type's page is built: exactly what its GET route answers, so the ETag a
# client holds from that GET is the one If-Match is compared with.
_PAGES: dict[str, tuple[Callable, Callable]] = {
    "event": (events.get_event, links.event),
    "actor": (actors.get_actor, links.actor),
    "region": (regions.get_region, links.region),
    "quote": (quotes.get_quote, links.quote_),
    "source": (sources.get_source, links.source),
}
PATHS = {"event": "events", "actor": "actors", "region": "regions", "quote": "quotes", "source": "sources"}

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The `ETag` of the record from its GET (`*` for any version). Required: without it the answer "
        "is 428; if the record changed since, 412.",
        examples=['"uc-eCkudiKC8JJP9rXnSSING"'],
    ),
]


def edit_router(path: str, tag: str) -> APIRouter:
    """A router whose routes check the token and the body before anything else."""
    return APIRouter(prefix=f"/{path}", tags=[tag], route_class=EditRoute)


def page(connection: Connection, kind: str, record_id: str) -> dict[str, Any] | None:
    """The record's page as GET /api/v1/{kind}s/{id} answers it."""
    get, link = _PAGES[kind]
    item = get(connection, record_id)
    if item is not None:
        item["links"] = link(item)
    return item


def precondition(connection: Connection, kind: str, record_id: str, if_match: str | None, method: str) -> None:
    """428 without If-Match; 412 unless it names the record's current ETag (or is `*`)."""
    path = f"/api/v1/{PATHS[kind]}/{record_id}"
    if if_match is None or not if_match.strip():
        raise Problem(
            428,
            "precondition-required",
            f"{method} needs an If-Match header with the {kind}'s ETag (from GET {path}), so that a "
            "change made since is never overwritten unseen.",
        )
    if if_match.strip() == "*":
        return
    current = record_tag(orjson.dumps(page(connection, kind, record_id)))
    if not strongly_matches(if_match, current):
        raise Problem(
            412,
            "precondition-failed",
            f"The {kind} changed since that ETag was issued; it is now {current}. "
            f"GET {path} again, redo the edit on what it holds now, and retry.",
        )


@contextmanager
def refusals() -> Iterator[None]:
    """The service's refusals as problems (raised inside the transaction, so it rolls back)."""
    try:
        yield
    except NotFound as error:
        raise Problem(404, "not-found", str(error)) from None
    except Conflict as error:
        raise Problem(409, "conflict", str(error)) from None
    except Invalid as error:
        errors = [{"location": location, "message": message} for location, message in error.errors]
        raise Problem(422, "invalid-parameters", str(error), errors=errors) from None
    except InvalidCoding as error:
        errors = [
            {"location": "body.coding", "entry": p.entry, "field": p.field, "message": p.reason} for p in error.problems
        ]
        detail = f"{len(errors)} problem(s) in the coding; nothing was written: " + "; ".join(
            str(p).removeprefix(f"{p.file}: ") for p in error.problems
        )
        raise Problem(422, "invalid-coding", detail, errors=errors) from None


def _answer(item: dict[str, Any], status: int, **headers: str) -> JSONResponse:
    return JSONResponse(item, status_code=status, headers={"ETag": record_tag(orjson.dumps(item)), **headers})


def create(request: Request, owner: TokenOwner, kind: str, make: Callable[[Writer], str]) -> JSONResponse:
    """Run `make` in a write transaction and answer 201 with the new record's page."""
    with refusals(), editing(request.app.state.engine, owner.name) as writer:
        record_id = make(writer)
        item = page(writer.connection, kind, record_id)
    return _answer(item, 201, Location=f"/api/v1/{PATHS[kind]}/{record_id}")


def change(
    request: Request,
    owner: TokenOwner,
    kind: str,
    record_id: str,
    if_match: str | None,
    apply: Callable[[Writer], None],
) -> JSONResponse:
    """Check ownership and If-Match, run `apply`, and answer 200 with the record's new page."""
    with refusals(), editing(request.app.state.engine, owner.name) as writer:
        owned(writer.connection, kind, record_id)
        precondition(writer.connection, kind, record_id, if_match, "PATCH")
        apply(writer)
        item = page(writer.connection, kind, record_id)
    return _answer(item, 200)


def remove(
    request: Request,
    owner: TokenOwner,
    kind: str,
    record_id: str,
    if_match: str | None,
    apply: Callable[[Writer], None],
) -> Response:
    """Check ownership and If-Match, run `apply`, and answer 204."""
    with refusals(), editing(request.app.state.engine, owner.name) as writer:
        owned(writer.connection, kind, record_id)
        precondition(writer.connection, kind, record_id, if_match, "DELETE")
        apply(writer)
    return Response(status_code=204)


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema with every $ref replaced by its definition, to embed anywhere."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


def merge_patch_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A merge patch of `model`: any of its members, none required, `null` removing an optional one."""
    schema = inline_schema(model)

    def loosen(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: loosen(value) for key, value in node.items() if key != "required"}
        if isinstance(node, list):
            return [loosen(item) for item in node]
        return node

    patch = loosen(schema)
    patch["description"] = (
        f"A JSON merge patch (RFC 7396) of {model.__name__}: the members to change; `null` "
        "removes an optional member, arrays are replaced whole. The result must pass every "
        "rule a new record does. The `id` never changes."
    )
    return patch


_PROBLEM = {"model": schemas.ProblemDetails, "content": {"application/problem+json": {}}}
_CHALLENGE = {
    "WWW-Authenticate": {
        "description": 'Bearer realm="geoevents" (with error="invalid_token" when a token was sent)',
        "schema": {"type": "string"},
    }
}
_RESPONSES: dict[int, dict[str, Any]] = {
    400: {"description": "The body is not well-formed UTF-8 JSON", **_PROBLEM},
    401: {"description": "No bearer token, or one that is unknown or revoked", "headers": _CHALLENGE, **_PROBLEM},
    403: {"description": "The token's scope is `read`: writing needs `write` or `admin`", **_PROBLEM},
    404: {"description": "No record with this id", **_PROBLEM},
    409: {
        "description": "The id is taken, the record belongs to a coding file or an import, or others depend on it",
        **_PROBLEM,
    },
    412: {"description": "If-Match does not name the record's current ETag: it changed since", **_PROBLEM},
    413: {
        "description": "The body is larger than GEOEVENTS_MAX_BODY_BYTES (default 1 MiB) or holds too many values",
        **_PROBLEM,
    },
    415: {
        "description": "The body is not JSON (application/json; PATCH also application/merge-patch+json)",
        **_PROBLEM,
    },
    422: {"description": "The body breaks a rule of the coding format; `errors` lists each problem", **_PROBLEM},
    428: {"description": "If-Match is missing", **_PROBLEM},
}
_ETAG = {
    "ETag": {
        "description": "The record's strong ETag: send it back in If-Match to change it.",
        "schema": {"type": "string"},
    }
}


def responses(*statuses: int, created: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses of a write: the problems it can answer with, and ETag (and Location) on success."""
    documented: dict[int | str, dict[str, Any]] = {status: _RESPONSES[status] for status in statuses}
    if created:
        location = {"Location": {"description": "The new record's URL.", "schema": {"type": "string"}}}
        documented[201] = {"description": "Created: the new record's page", "headers": {**_ETAG, **location}}
    return documented


def changed_response() -> dict[int | str, dict[str, Any]]:
    """The 200 of a PATCH: the record's new page and its new ETag."""
    return {200: {"description": "The record's page after the change", "headers": _ETAG}}


WRITE_ERRORS = (400, 401, 403, 413, 415, 422)
CHANGE_ERRORS = (*WRITE_ERRORS, 404, 409, 412, 428)
DELETE_ERRORS = (401, 403, 404, 409, 412, 428)
