"""/api/v1/actors: people, states, organisations and groups, with their events and quotes."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy import Connection

from app.api import links, schemas
from app.api.deps import found, list_response, read, require
from app.api.params import MAX_VALUES, EventParams, ListParams
from app.api.responses import JSONResponse
from app.api.routes.events import events_page
from app.api.routes.quotes import MatchedQuote, QuoteParams, quotes_page
from app.api.routes.search import SEARCH_ERRORS
from app.api.schemas import Matched
from app.coding.vocabulary import ActorKind
from app.queries import actors

router = APIRouter(prefix="/actors", tags=["actors"])


class ActorParams(ListParams):
    kind: list[ActorKind] = Field([], max_length=MAX_VALUES, examples=[["person"]])
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description='Search the name and aliases: every word is a prefix (`zel` finds Zelenskyy), all must match; '
        '`"double-quoted phrases"` match whole words in order. Adds `match` to each actor.',
        examples=["moscow", "zel"],
    )
    sort: Literal["name", "-name", "relevance"] = Field(
        "name", description="By `name` (A to Z), `-name` (Z to A) or `relevance` to `q` (best first; needs `q`)."
    )


class MatchedActor(schemas.Actor, Matched):
    """An actor in a list; with `q`, also where the search matched."""


@router.get("", response_model=schemas.ListOf[MatchedActor], summary="List actors", responses=SEARCH_ERRORS)
async def list_actors(request: Request, params: Annotated[ActorParams, Query()]) -> JSONResponse:
    """Actors by name, or by relevance to a search."""
    filters = {"kind": [k.value for k in params.kind], "q": params.q, "updated_since": params.updated_since}
    keys = actors.sort_keys(params.sort, params.q)

    def page(connection: Connection) -> JSONResponse:
        return list_response(
            request,
            params,
            keys,
            lambda after: actors.list_actors(connection, **filters, keys=keys, limit=params.limit, after_values=after),
            count=lambda: actors.count_actors(connection, **filters),
            link=links.actor,
        )

    return await read(request, page)


@router.get("/{actor_id}", response_model=schemas.Actor, summary="Get an actor")
async def get_actor(actor_id: str, request: Request) -> JSONResponse:
    return await read(
        request, lambda connection: found(actors.get_actor(connection, actor_id), "actor", actor_id, links.actor)
    )


@router.get("/{actor_id}/events", response_model=schemas.ListOf[schemas.Event], summary="Events of an actor")
async def actor_events(actor_id: str, request: Request, params: Annotated[EventParams, Query()]) -> JSONResponse:
    """Events this actor takes part in; every /events filter applies too."""

    def page(connection: Connection) -> JSONResponse:
        require(actors.exists(connection, actor_id), "actor", actor_id)
        return events_page(request, connection, params, scope_actor=actor_id)

    return await read(request, page)


@router.get(
    "/{actor_id}/quotes",
    response_model=schemas.ListOf[MatchedQuote],
    summary="Quotes spoken by an actor",
    responses=SEARCH_ERRORS,
)
async def actor_quotes(actor_id: str, request: Request, params: Annotated[QuoteParams, Query()]) -> JSONResponse:
    """Statements this actor made, in document order."""

    def page(connection: Connection) -> JSONResponse:
        require(actors.exists(connection, actor_id), "actor", actor_id)
        return quotes_page(request, connection, params, scope_speaker=actor_id)

    return await read(request, page)
