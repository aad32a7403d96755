"""/api/v1/events: the coded events, filtered, sorted, paged and exported."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import Connection
from starlette.responses import Response

from app.api import formats, links, schemas
from app.api.deps import after_values, found, list_response, read
from app.api.middleware.head import HEAD_AS_GET
from app.api.params import EventParams
from app.queries import event_embeds, events
from app.queries.estimate import estimate_count
from app.tables import event

router = APIRouter(prefix="/events", tags=["events"])

_FORMATS_DOC = {
    200: {
        "description": "A page of events (JSON), or every matching event streamed as NDJSON, CSV or GeoJSON.",
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}, "example": '{"id":"putin-trump-alaska-summit",...}\n'},
            "text/csv": {"schema": {"type": "string"}, "example": ",".join(formats.CSV_COLUMNS) + "\r\n..."},
            "application/geo+json": {"schema": {"type": "object"}, "example": {"type": "FeatureCollection", "features": []}},
        },
        "headers": {"Link": {"description": 'The next page: `<url>; rel="next"` (JSON pages).', "schema": {"type": "string"}}},
    },
    406: {"description": "No acceptable format", "content": {"application/problem+json": {}}},
}


def event_filters(params: EventParams, **scope: str) -> events.EventFilters:
    """The data layer's filters from the query parameters (and a path's scope)."""
    return events.EventFilters(
        actor=params.actor,
        affiliated=params.affiliated,
        role=[r.value for r in params.role],
        region=params.region,
        country=params.country,
        bbox=params.bbox_values(),
        type=[t.value for t in params.type],
        status=[s.value for s in params.status],
        source=params.source,
        date_from=params.date_from,
        date_to=params.date_to,
        date_match=params.date_match,
        precision=params.precision,
        q=params.q,
        updated_since=params.updated_since,
        **scope,
    )


def _embeds(params: EventParams, required: tuple[str, ...] = ()) -> list[str]:
    chosen = list(event_embeds.DEFAULT if params.include is None else params.include)
    if params.fields:
        chosen = [name for name in chosen if name in params.fields]
    return list(dict.fromkeys([*chosen, *required]))


def events_page(request: Request, connection: Connection, params: EventParams, **scope: str) -> Response:
    """A page (JSON) or an export (other formats) of events: /events and the per-actor and per-region lists."""
    filters = event_filters(params, **scope)
    keys = events.sort_keys(params.sort, params.q)
    fmt = formats.negotiate(request.headers.get("accept"), params.format)
    if fmt == "json":
        embeds = _embeds(params)
        return list_response(
            request,
            params,
            keys,
            lambda after: events.list_events(
                connection, filters, keys=keys, limit=params.limit, after_values=after, embeds=embeds
            ),
            count=lambda: events.count_events(connection, filters),
            estimate=lambda: estimate_count(connection, event, events.conditions(filters)),
            link=links.event,
            select_fields=params.fields,
        )
    start = after_values(request, params, keys)
    limit = params.limit if "limit" in params.model_fields_set else None
    if fmt == "csv":
        embeds = list(formats.CSV_EMBEDS)
    else:
        embeds = _embeds(params, required=("point",) if fmt == "geojson" else ())
    # CSV has its fixed, documented columns: `fields` shapes JSON, NDJSON and GeoJSON only.
    keep = {"id", *params.fields, *(["point"] if fmt == "geojson" else [])} if params.fields and fmt != "csv" else None

    def finish(item: dict) -> dict:
        item["links"] = links.event(item)
        return {k: v for k, v in item.items() if k in keep} if keep else item

    return formats.stream(
        fmt,
        request.app.state.engine,
        lambda conn: events.iter_events(conn, filters, keys=keys, embeds=embeds, limit=limit, after_values=start),
        finish,
        head=request.scope.get(HEAD_AS_GET, False),
    )


@router.get("", response_model=schemas.ListOf[schemas.Event], summary="List or export events", responses=_FORMATS_DOC)
async def list_events(request: Request, params: Annotated[EventParams, Query()]) -> Response:
    """Events matching every filter given, newest first by default, with keyset paging.

    JSON answers a page; `format=ndjson|csv|geojson` (or the Accept header) streams every
    matching event, or the first `limit` when it is given.
    """
    return await read(request, lambda connection: events_page(request, connection, params))


@router.get("/{event_id}", response_model=schemas.EventDetail, summary="Get an event with its evidence")
async def get_event(event_id: str, request: Request) -> Response:
    """One event with its actors, regions, figures, evidence quotes and citation."""
    return await read(
        request, lambda connection: found(events.get_event(connection, event_id), "event", event_id, links.event)
    )
