"""Where each actor and region is named in the sources."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field
from sqlalchemy import Connection

from app.api import provenance_schemas, schemas
from app.api.deps import list_response, read, require
from app.api.links import API
from app.api.params import MAX_VALUES, Id, ListParams
from app.api.responses import JSONResponse
from app.queries import actors, mentions, regions

router = APIRouter(tags=["provenance"])

_DESCRIPTION = """\
Every place the sources name this {kind}, found by its aliases, in document order (by
source, then offset). A match is word-bounded ("Russia" is not found in "Russian" but is in
"Russia’s") and case-sensitive ("US" never matches "us"); where aliases overlap, the longest
wins. `source.text[span.start:span.end]` is the alias; `context` is the sentence around it
(about 80 characters either side when the sentence is long), and `context.text[offset:]`
starts with the alias. `updated_since` keeps mentions whose source or whose {kind} changed
after that instant.
"""


class MentionParams(ListParams):
    source: list[Id] = Field(
        [],
        max_length=MAX_VALUES,
        description="Source id: only mentions in this source.",
        examples=[["2025-08-15-putin-trump-alaska-summit"]],
    )


def _link(item: dict) -> dict[str, str]:
    return {"source": f"{API}/sources/{item['source']['id']}"}


def _page(
    request: Request,
    connection: Connection,
    params: MentionParams,
    kind: Literal["actor", "region"],
    target_id: str,
) -> JSONResponse:
    filters = mentions.MentionFilters(kind, target_id, source=params.source, updated_since=params.updated_since)
    return list_response(
        request,
        params,
        mentions.KEYS,
        lambda after: mentions.list_mentions(connection, filters, limit=params.limit, after_values=after),
        count=lambda: mentions.count_mentions(connection, filters),
        link=_link,
    )


@router.get(
    "/actors/{actor_id}/mentions",
    response_model=schemas.ListOf[provenance_schemas.Mention],
    summary="Where an actor is named",
    description=_DESCRIPTION.format(kind="actor"),
)
async def actor_mentions(
    actor_id: Annotated[str, Path(description="Actor id.", examples=["vladimir-putin"])],
    request: Request,
    params: Annotated[MentionParams, Query()],
) -> JSONResponse:
    """Mentions of one actor in document order."""

    def page(connection: Connection) -> JSONResponse:
        require(actors.exists(connection, actor_id), "actor", actor_id)
        return _page(request, connection, params, "actor", actor_id)

    return await read(request, page)


@router.get(
    "/regions/{region_id}/mentions",
    response_model=schemas.ListOf[provenance_schemas.Mention],
    summary="Where a region is named",
    description=_DESCRIPTION.format(kind="region"),
)
async def region_mentions(
    region_id: Annotated[str, Path(description="Region id.", examples=["middle-east"])],
    request: Request,
    params: Annotated[MentionParams, Query()],
) -> JSONResponse:
    """Mentions of one region in document order."""

    def page(connection: Connection) -> JSONResponse:
        require(regions.exists(connection, region_id), "region", region_id)
        return _page(request, connection, params, "region", region_id)

    return await read(request, page)
