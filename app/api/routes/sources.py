"""/api/v1/sources: the documents, whole, that every span indexes into."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from app.api import links, provenance_schemas, schemas
from app.api.deps import found, list_response, read
from app.api.params import ListParams
from app.api.responses import JSONResponse
from app.queries import sources

router = APIRouter(prefix="/sources", tags=["sources"])


class SourceParams(ListParams):
    pass


@router.get("", response_model=schemas.ListOf[schemas.Source], summary="List sources")
async def list_sources(request: Request, params: Annotated[SourceParams, Query()]) -> JSONResponse:
    """Sources by id, without their text."""

    def page(connection: Connection) -> JSONResponse:
        return list_response(
            request,
            params,
            sources.KEYS,
            lambda after: sources.list_sources(
                connection, updated_since=params.updated_since, limit=params.limit, after_values=after
            ),
            count=lambda: sources.count_sources(connection, updated_since=params.updated_since),
            link=links.source,
        )

    return await read(request, page)


class SourceDetailParams(BaseModel):
    # A detail route refuses unknown parameters too: `?anotate=true` must not be ignored.
    model_config = ConfigDict(extra="forbid")

    annotate: bool = Field(
        False,
        description="Add `annotations`: every quote and every mention of an actor or region, with its span, "
        "in document order, so the text can be marked up without further requests.",
        examples=[True],
    )


@router.get(
    "/{source_id}", response_model=provenance_schemas.AnnotatedSourceDetail, summary="Get a source with its text"
)
async def get_source(
    source_id: str, request: Request, params: Annotated[SourceDetailParams, Query()]
) -> JSONResponse:
    """One source with its full text: `text[span.start:span.end]` is every quote and mention it holds."""

    def detail(connection: Connection) -> JSONResponse:
        item = sources.get_source(connection, source_id)
        if item is not None and params.annotate:
            item["annotations"] = sources.annotations(connection, source_id)
        return found(item, "source", source_id, links.source)

    return await read(request, detail)
