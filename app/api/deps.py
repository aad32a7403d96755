"""Dependencies and list plumbing shared by every route."""

from collections.abc import Callable, Iterator, Sequence
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Connection

from app.api import cursors
from app.api.params import ListParams
from app.api.problems import Problem
from app.api.responses import JSONResponse
from app.queries import keyset


def get_connection(request: Request) -> Iterator[Connection]:
    """A connection in one read transaction, so every statement of a request sees one snapshot."""
    with request.app.state.engine.connect() as connection, connection.begin():
        yield connection


ConnectionDep = Annotated[Connection, Depends(get_connection)]

Fetch = Callable[[list[Any] | None], tuple[list[dict], list[Any] | None]]


def list_response(
    request: Request,
    params: ListParams,
    keys: Sequence[keyset.SortKey],
    fetch: Fetch,
    *,
    count: Callable[[], int],
    link: Callable[[dict], dict[str, str]],
) -> JSONResponse:
    """Decode the cursor, fetch one page, and answer with data, meta and links."""
    secret = request.app.state.settings.cursor_secret
    query_id = cursors.fingerprint(request.url.path, params.model_dump(by_alias=True, mode="json"))
    after_values = None
    if params.cursor is not None:
        raw = cursors.decode(params.cursor, query_id, secret)
        try:
            after_values = keyset.decode(keys, raw)
        except (ValueError, TypeError):
            raise Problem(400, "invalid-cursor", "The cursor does not fit this list's sort order.") from None
    items, next_values = fetch(after_values)
    for item in items:
        item["links"] = link(item)
    next_cursor = cursors.encode(next_values, query_id, secret) if next_values is not None else None
    meta: dict[str, Any] = {"limit": params.limit, "next_cursor": next_cursor}
    if params.count:
        meta["total"] = count()
    next_link = str(request.url.include_query_params(cursor=next_cursor)) if next_cursor else None
    return JSONResponse({"data": items, "meta": meta, "links": {"self": str(request.url), "next": next_link}})


def found(item: dict | None, kind: str, item_id: str, link: Callable[[dict], dict[str, str]]) -> JSONResponse:
    """The item as JSON, or a 404 problem naming what was not found."""
    if item is None:
        raise Problem(404, "not-found", f"No {kind} with id {item_id!r}.")
    item["links"] = link(item)
    return JSONResponse(item)


def require(exists: bool, kind: str, item_id: str) -> None:
    """404 for a sub-resource of an unknown parent (/actors/nope/events)."""
    if not exists:
        raise Problem(404, "not-found", f"No {kind} with id {item_id!r}.")
