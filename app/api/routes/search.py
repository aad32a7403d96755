"""/api/v1/search: one search box over events, actors, regions and quotes."""

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from app.api import schemas
from app.api.deps import read
from app.api.links import API
from app.api.responses import JSONResponse
from app.queries import search as search_queries

router = APIRouter(prefix="/search", tags=["search"])

Q_DESCRIPTION = (
    'Words that must all match (any case, accents ignored), `"double-quoted phrases"`, and `word*` '
    "for a prefix. A malformed search (an unclosed quote, an empty phrase, no letters or digits) is a 400 problem."
)


class _Hit(BaseModel):
    id: str
    match: schemas.Match | None
    links: dict[str, str] = Field(examples=[{"self": "/api/v1/events/putin-trump-alaska-summit"}])


class EventHit(_Hit):
    type: Literal["event"]
    title: str


class ActorHit(_Hit):
    type: Literal["actor"]
    name: str


class RegionHit(_Hit):
    type: Literal["region"]
    name: str


class QuoteHit(_Hit):
    type: Literal["quote"]
    text: str


class SearchGroups(BaseModel):
    events: list[EventHit]
    actors: list[ActorHit]
    regions: list[RegionHit]
    quotes: list[QuoteHit]


class SearchTotals(BaseModel):
    events: int
    actors: int
    regions: int
    quotes: int


class SearchMeta(BaseModel):
    limit: int = Field(description="The most hits shown per kind.")
    total: SearchTotals = Field(description="How many records of each kind match in all.")


class SearchLinks(BaseModel):
    self: str
    events: str = Field(description="Every matching event, best first, paged.")
    actors: str
    regions: str
    quotes: str


class SearchResult(BaseModel):
    """The best hits of each kind, best first (ties by id)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "query": "zel",
                "data": {
                    "events": [],
                    "actors": [{"type": "actor", "id": "volodymyr-zelenskyy", "name": "Volodymyr Zelenskyy",
                                "match": {"field": "name", "snippet": "Volodymyr Zelenskyy", "offsets": [[10, 19]]},
                                "links": {"self": "/api/v1/actors/volodymyr-zelenskyy"}}],
                    "regions": [],
                    "quotes": [],
                },
                "meta": {"limit": 5, "total": {"events": 0, "actors": 1, "regions": 0, "quotes": 0}},
                "links": {"self": "http://localhost:8000/api/v1/search?q=zel",
                          "events": "/api/v1/events?q=zel&sort=relevance",
                          "actors": "/api/v1/actors?q=zel&sort=relevance",
                          "regions": "/api/v1/regions?q=zel&sort=relevance",
                          "quotes": "/api/v1/quotes?q=zel&sort=relevance"},
            }
        }
    )

    query: str = Field(examples=["putin"])
    data: SearchGroups
    meta: SearchMeta
    links: SearchLinks


class SearchParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(
        min_length=1, max_length=200, description=Q_DESCRIPTION, examples=["putin", '"peace deal"', "sanct*"]
    )
    limit: int = Field(5, ge=1, le=50, description="Hits per kind, 1 to 50.", examples=[5])


_PATHS = {"event": "events", "actor": "actors", "region": "regions", "quote": "quotes"}

# The 400 of every route that takes `q`: a malformed search as well as a bad cursor.
SEARCH_ERRORS = {
    400: {
        "model": schemas.ProblemDetails,
        "description": "Malformed search (`/problems/invalid-search`: unclosed quote, empty phrase, no words) "
        "or invalid cursor",
        "content": {"application/problem+json": {"example": {
            "type": "/problems/invalid-search", "title": "Bad Request", "status": 400,
            "detail": 'Unbalanced quote: the " at character 1 opens a phrase that is never closed.',
            "instance": "/api/v1/search",
        }}},
    }
}


@router.get("", response_model=SearchResult, summary="Search everything", responses=SEARCH_ERRORS)
async def search(request: Request, params: Annotated[SearchParams, Query()]) -> JSONResponse:
    """The best events, actors, regions and quotes for `q`, grouped by kind, for a search box.

    Actors and regions match by prefix (`zel` finds Zelenskyy), so they can be suggested
    while the user types; events and quotes match whole words unless `word*` is given.
    `links` lead to each kind's full list of matches, sorted by relevance.
    """

    def answer(connection: Connection) -> JSONResponse:
        found = search_queries.search(connection, params.q, limit=params.limit)
        data = {}
        for kind, path in _PATHS.items():
            hits = found[kind]["hits"]
            for hit in hits:
                hit["links"] = {"self": f"{API}/{path}/{hit['id']}"}
            data[path] = hits
        totals = {path: found[kind]["total"] for kind, path in _PATHS.items()}
        more = urlencode({"q": params.q, "sort": "relevance"})
        return JSONResponse(
            {
                "query": params.q,
                "data": data,
                "meta": {"limit": params.limit, "total": totals},
                "links": {"self": str(request.url), **{path: f"{API}/{path}?{more}" for path in _PATHS.values()}},
            }
        )

    return await read(request, answer)
