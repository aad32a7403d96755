"""Aggregates over filtered events: facets, timeline, and an actor's co-occurrence network."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import Connection

from app.api import aggregate_schemas as shapes
from app.api.deps import read
from app.api.problems import Problem
from app.api.responses import JSONResponse
from app.api.routes.events import event_filters
from app.queries import facets, network, timeline

router = APIRouter(tags=["aggregates"])


@router.get(
    "/events/facets",
    response_model=shapes.Facets,
    summary="Count events by type, actor, country, year...",
)
async def event_facets(request: Request, params: Annotated[shapes.FacetParams, Query()]) -> JSONResponse:
    """How the events matching every filter divide, facet by facet, like a search sidebar.

    Each facet lists its `facet_size` commonest values, as `{value, label, count}` by count
    (most first) then value, and says how many distinct values it has in all. An event
    counts once per value: once per actor however many roles it plays, once per country
    however many of its regions lie in it.

    - `type`, `status`, `precision`: the event's own (`precision` includes `unknown`).
    - `actor`: actor id, labelled with the name; `role`: initiator, target, participant.
    - `region`: the event's own regions (not their ancestors), labelled with the name.
    - `country`: ISO 3166-1 code of each country the event's regions lie in, labelled
      with the country's name.
    - `year`: the year the event starts, for events dated by day, month or year only.
    - `source`: source id, labelled with its title.

    A `type`, `status`, `actor`, `role`, `region`, `country` or `source` value is what the
    /events parameter of the same name takes, to list the events behind a count.
    """
    filters = event_filters(params.event_params())
    return await read(
        request, lambda connection: JSONResponse(facets.facets(connection, filters, params.facet, params.facet_size))
    )


@router.get(
    "/events/timeline",
    response_model=shapes.Timeline,
    summary="Count events per day, month or year",
)
async def event_timeline(request: Request, params: Annotated[shapes.TimelineParams, Query()]) -> JSONResponse:
    """The events matching every filter, counted per `interval`, honest about date precision.

    An event counts in a bucket only if its date is at least as fine as the interval: a
    year-precision event (`"2023"`) is never put in January or on 1 January; by month or
    day it is counted in `coarser`. Undated events are counted in `undated`.

    An event counts once, in the bucket of its start, even when its dates run on into
    later buckets (or, ongoing, have no end): so the buckets, `coarser` and `undated` add
    up to `total`, and a long war does not outweigh every single-day event in its span.

    Empty buckets between the first and the last are included (and out to `from` and `to`
    when given), at most 20,000 of them: a longer timeline is refused with a 422 problem;
    choose a coarser interval or narrow `from`/`to`.
    """
    filters = event_filters(params.event_params())
    try:
        return await read(
            request, lambda connection: JSONResponse(timeline.timeline(connection, filters, params.interval))
        )
    except timeline.TooManyBuckets as error:
        message = f"{error}; choose a coarser interval or narrow `from`/`to`"
        errors = [{"location": "query.interval", "message": message}]
        raise Problem(
            422, "invalid-parameters", f"query.interval: {message}", errors=errors
        ) from None


@router.get(
    "/actors/{actor_id}/network",
    response_model=shapes.Network,
    summary="Who appears in events with an actor",
)
async def actor_network(
    actor_id: str, request: Request, params: Annotated[shapes.NetworkParams, Query()]
) -> JSONResponse:
    """The actor's co-occurrence graph over the events matching every filter (a period, a type...).

    `actor` is the requested actor with its matching events. `nodes` are the other actors in
    those events, each with the events it shares with the actor, most first, then by id.
    `edges` join two co-actors that appear together in one of those events, with the
    events they share there (edges to the requested actor itself are the nodes).
    """
    filters = event_filters(params.event_params())

    def graph(connection: Connection) -> JSONResponse:
        found = network.network(connection, actor_id, filters)
        if found is None:
            raise Problem(404, "not-found", f"No actor with id {actor_id!r}.")
        return JSONResponse(found)

    return await read(request, graph)
