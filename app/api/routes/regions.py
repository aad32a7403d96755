"""/api/v1/regions: the place hierarchy, from world regions down to sites."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy import Connection

from app.api import links, schemas
from app.api.deps import found, list_response, read, require
from app.api.params import MAX_VALUES, EventParams, Id, ListParams
from app.api.responses import JSONResponse
from app.api.routes.events import events_page
from app.api.routes.search import SEARCH_ERRORS
from app.api.schemas import Matched
from app.coding.vocabulary import RegionKind
from app.queries import regions

router = APIRouter(prefix="/regions", tags=["regions"])


class RegionParams(ListParams):
    kind: list[RegionKind] = Field([], max_length=MAX_VALUES, examples=[["country"]])
    parent: list[Id] = Field(
        [], max_length=MAX_VALUES, description="Regions directly inside this one.", examples=[["middle-east"]]
    )
    within: list[Id] = Field(
        [], max_length=MAX_VALUES, description="Regions anywhere inside this one.", examples=[["united-states"]]
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description='Search the name and aliases: every word is a prefix (`anch` finds Anchorage), all must match; '
        '`"double-quoted phrases"` match whole words in order. Adds `match` to each region.',
        examples=["britain", "anch"],
    )
    sort: Literal["name", "-name", "relevance"] = Field(
        "name", description="By `name` (A to Z), `-name` (Z to A) or `relevance` to `q` (best first; needs `q`)."
    )


class MatchedRegion(schemas.Region, Matched):
    """A region in a list; with `q`, also where the search matched."""


@router.get("", response_model=schemas.ListOf[MatchedRegion], summary="List regions", responses=SEARCH_ERRORS)
async def list_regions(request: Request, params: Annotated[RegionParams, Query()]) -> JSONResponse:
    """Regions by name (or by relevance to a search), each with its path from the top of the hierarchy."""
    filters = {
        "kind": [k.value for k in params.kind],
        "parent": params.parent,
        "within": params.within,
        "q": params.q,
        "updated_since": params.updated_since,
    }
    keys = regions.sort_keys(params.sort, params.q)

    def page(connection: Connection) -> JSONResponse:
        return list_response(
            request,
            params,
            keys,
            lambda after: regions.list_regions(connection, **filters, keys=keys, limit=params.limit, after_values=after),
            count=lambda: regions.count_regions(connection, **filters),
            link=links.region,
        )

    return await read(request, page)


@router.get("/{region_id}", response_model=schemas.RegionDetail, summary="Get a region")
async def get_region(region_id: str, request: Request) -> JSONResponse:
    """One region with its parent, path and the regions directly inside it."""
    return await read(
        request, lambda connection: found(regions.get_region(connection, region_id), "region", region_id, links.region)
    )


@router.get("/{region_id}/events", response_model=schemas.ListOf[schemas.Event], summary="Events in a region")
async def region_events(region_id: str, request: Request, params: Annotated[EventParams, Query()]) -> JSONResponse:
    """Events in this region or anywhere inside it; every /events filter applies too."""

    def page(connection: Connection) -> JSONResponse:
        require(regions.exists(connection, region_id), "region", region_id)
        return events_page(request, connection, params, scope_region=region_id)

    return await read(request, page)
