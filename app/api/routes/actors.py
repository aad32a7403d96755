"""/api/v1/actors: people, states, organisations and groups, with their events and quotes."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field

from app.api import links, schemas
from app.api.deps import ConnectionDep, found, list_response, require
from app.api.params import EventParams, ListParams
from app.api.responses import JSONResponse
from app.api.routes.events import events_page
from app.api.routes.quotes import QuoteParams, quotes_page
from app.coding.vocabulary import ActorKind
from app.queries import actors

router = APIRouter(prefix="/actors", tags=["actors"])


class ActorParams(ListParams):
    kind: list[ActorKind] = Field([], examples=[["person"]])
    q: str | None = Field(None, min_length=1, max_length=200, description="Words in the name or an alias.", examples=["moscow"])


@router.get("", response_model=schemas.ListOf[schemas.Actor], summary="List actors")
def list_actors(request: Request, connection: ConnectionDep, params: Annotated[ActorParams, Query()]) -> JSONResponse:
    """Actors by name."""
    filters = {"kind": [k.value for k in params.kind], "q": params.q, "updated_since": params.updated_since}
    return list_response(
        request,
        params,
        actors.KEYS,
        lambda after: actors.list_actors(connection, **filters, limit=params.limit, after_values=after),
        count=lambda: actors.count_actors(connection, **filters),
        link=links.actor,
    )


@router.get("/{actor_id}", response_model=schemas.Actor, summary="Get an actor")
def get_actor(actor_id: str, connection: ConnectionDep) -> JSONResponse:
    return found(actors.get_actor(connection, actor_id), "actor", actor_id, links.actor)


@router.get("/{actor_id}/events", response_model=schemas.ListOf[schemas.Event], summary="Events of an actor")
def actor_events(
    actor_id: str, request: Request, connection: ConnectionDep, params: Annotated[EventParams, Query()]
) -> JSONResponse:
    """Events this actor takes part in; every /events filter applies too."""
    require(actors.exists(connection, actor_id), "actor", actor_id)
    return events_page(request, connection, params, scope_actor=actor_id)


@router.get("/{actor_id}/quotes", response_model=schemas.ListOf[schemas.Quote], summary="Quotes spoken by an actor")
def actor_quotes(
    actor_id: str, request: Request, connection: ConnectionDep, params: Annotated[QuoteParams, Query()]
) -> JSONResponse:
    """Statements this actor made, in document order."""
    require(actors.exists(connection, actor_id), "actor", actor_id)
    return quotes_page(request, connection, params, scope_speaker=actor_id)
