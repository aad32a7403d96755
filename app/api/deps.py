"""Reading in one snapshot, and the list plumbing shared by every route."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Request
from sqlalchemy import Connection, Engine

from app.api import cursors
from app.api.params import ListParams
from app.api.problems import Problem
from app.api.responses import JSONResponse
from app.queries import keyset


def read_connection(engine: Engine) -> Connection:
    """A connection whose transactions see one snapshot for all their statements.

    SQLite gives that to any transaction; PostgreSQL's default READ COMMITTED takes a new
    snapshot per statement, so a page, its embeds and its count could disagree.
    """
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return connection


T = TypeVar("T")


def _in_read_transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    with read_connection(engine) as connection, connection.begin():
        return work(connection)


async def read(request: Request, work: Callable[[Connection], T]) -> T:
    """`work(connection)` in one read transaction, so every statement of a request sees one
    snapshot, in a single trip to the thread pool.

    A sync route with a yielding connection dependency makes three (the dependency's start,
    the route, the dependency's end), each a thread hand-over that costs about as much as an
    index lookup: `async def` routes that do their reading through this make one.
    """
    return await anyio.to_thread.run_sync(_in_read_transaction, request.app.state.engine, work)

Fetch = Callable[[list[Any] | None], tuple[list[dict], list[Any] | None]]


def query_id(request: Request, params: ListParams) -> str:
    """The fingerprint that binds a cursor to its path, filters and sort."""
    return cursors.fingerprint(request.url.path, params.model_dump(by_alias=True, mode="json"))


def after_values(request: Request, params: ListParams, keys: Sequence[keyset.SortKey]) -> list[Any] | None:
    """Where the page starts: decoded from the cursor, or None for the first page."""
    if params.cursor is None:
        return None
    raw = cursors.decode(params.cursor, query_id(request, params), request.app.state.settings.cursor_secret)
    try:
        return keyset.decode(keys, raw)
    except (ValueError, TypeError):
        raise Problem(400, "invalid-cursor", "The cursor does not fit this list's sort order.") from None


def list_response(
    request: Request,
    params: ListParams,
    keys: Sequence[keyset.SortKey],
    fetch: Fetch,
    *,
    count: Callable[[], int],
    link: Callable[[dict], dict[str, str]],
    estimate: Callable[[], tuple[int, bool]] | None = None,
    select_fields: Sequence[str] = (),
) -> JSONResponse:
    """Decode the cursor, fetch one page, and answer with data, meta and links."""
    items, next_values = fetch(after_values(request, params, keys))
    for item in items:
        item["links"] = link(item)
    if select_fields:
        keep = {"id", *select_fields}
        items = [{k: v for k, v in item.items() if k in keep} for item in items]
    next_cursor = None
    if next_values is not None:
        next_cursor = cursors.encode(next_values, query_id(request, params), request.app.state.settings.cursor_secret)
    meta: dict[str, Any] = {"limit": params.limit, "next_cursor": next_cursor}
    if params.count == "exact":
        meta["total"], meta["total_exact"] = count(), True
    elif params.count == "estimated":
        meta["total"], meta["total_exact"] = estimate() if estimate else (count(), True)
    next_link = str(request.url.include_query_params(cursor=next_cursor)) if next_cursor else None
    response = JSONResponse({"data": items, "meta": meta, "links": {"self": str(request.url), "next": next_link}})
    if next_link:
        response.headers["Link"] = f'<{next_link}>; rel="next"'
    return response


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
