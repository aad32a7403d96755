"""/api/v1/events: the coded events, filtered, sorted and paged."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.api import links, schemas
from app.api.deps import ConnectionDep, found, list_response
from app.api.params import EventParams
from app.api.responses import JSONResponse
from app.queries import events

router = APIRouter(prefix="/events", tags=["events"])


def event_filters(params: EventParams, **scope: str) -> events.EventFilters:
    """The data layer's filters from the query parameters (and a path's scope)."""
    return events.EventFilters(
        actor=params.actor,
        region=params.region,
        type=[t.value for t in params.type],
        status=[s.value for s in params.status],
        source=params.source,
        date_from=params.date_from,
        date_to=params.date_to,
        q=params.q,
        updated_since=params.updated_since,
        **scope,
    )


def events_page(request: Request, connection: ConnectionDep, params: EventParams, **scope: str) -> JSONResponse:
    """One page of events: shared by /events and the per-actor and per-region lists."""
    filters = event_filters(params, **scope)
    return list_response(
        request,
        params,
        events.sort_keys(params.sort),
        lambda after: events.list_events(connection, filters, sort=params.sort, limit=params.limit, after_values=after),
        count=lambda: events.count_events(connection, filters),
        link=links.event,
    )


@router.get("", response_model=schemas.ListOf[schemas.Event], summary="List events")
def list_events(request: Request, connection: ConnectionDep, params: Annotated[EventParams, Query()]) -> JSONResponse:
    """Events matching every filter given, newest first by default, with keyset paging."""
    return events_page(request, connection, params)


@router.get("/{event_id}", response_model=schemas.Event, summary="Get an event with its evidence")
def get_event(event_id: str, connection: ConnectionDep) -> JSONResponse:
    """One event with its actors, regions, figures and evidence quotes."""
    return found(events.get_event(connection, event_id), "event", event_id, links.event)
