"""/api/v1/quotes: verbatim spans of the sources, each with its offsets."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy import Connection

from app.api import links, schemas
from app.api.deps import found, list_response, read
from app.api.params import MAX_VALUES, Id, ListParams
from app.api.responses import JSONResponse
from app.api.routes.search import SEARCH_ERRORS
from app.api.schemas import Matched
from app.coding.vocabulary import QuoteKind
from app.queries import quotes

router = APIRouter(prefix="/quotes", tags=["quotes"])


class QuoteParams(ListParams):
    q: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description='Search the quote\'s words (any case, accents ignored), all of which must match; '
        '`"double-quoted phrases"` match words in order, `word*` a prefix. Adds `match` to each quote.',
        examples=["ceasefire", '"peace deal"', "sanction*"],
    )
    sort: Literal["document", "relevance"] = Field(
        "document",
        description="`document` order (by source, then position in it) or `relevance` to `q` (best first; needs `q`).",
    )
    source: list[Id] = Field([], max_length=MAX_VALUES, examples=[["2025-08-15-putin-trump-alaska-summit"]])
    kind: list[QuoteKind] = Field([], max_length=MAX_VALUES, examples=[["statement"]])
    speaker: list[Id] = Field(
        [], max_length=MAX_VALUES, description="Actor id of the speaker.", examples=[["vladimir-putin"]]
    )
    event: list[Id] = Field(
        [], max_length=MAX_VALUES, description="Quotes that evidence this event.",
        examples=[["putin-trump-alaska-summit"]],
    )


def quotes_page(request: Request, connection: Connection, params: QuoteParams, scope_speaker: str | None = None) -> JSONResponse:
    """One page of quotes: shared by /quotes and /actors/{id}/quotes."""
    filters = quotes.QuoteFilters(
        source=params.source,
        kind=[k.value for k in params.kind],
        speaker=params.speaker,
        event=params.event,
        scope_speaker=scope_speaker,
        q=params.q,
        updated_since=params.updated_since,
    )
    keys = quotes.sort_keys(params.sort, params.q)
    return list_response(
        request,
        params,
        keys,
        lambda after: quotes.list_quotes(connection, filters, keys=keys, limit=params.limit, after_values=after),
        count=lambda: quotes.count_quotes(connection, filters),
        link=links.quote_,
    )


class MatchedQuote(schemas.Quote, Matched):
    """A quote in a list; with `q`, also where the search matched."""


@router.get("", response_model=schemas.ListOf[MatchedQuote], summary="List quotes", responses=SEARCH_ERRORS)
async def list_quotes(request: Request, params: Annotated[QuoteParams, Query()]) -> JSONResponse:
    """Quotes in document order, or by relevance to a search."""
    return await read(request, lambda connection: quotes_page(request, connection, params))


@router.get("/{quote_id}", response_model=schemas.Quote, summary="Get a quote")
async def get_quote(quote_id: str, request: Request) -> JSONResponse:
    return await read(
        request, lambda connection: found(quotes.get_quote(connection, quote_id), "quote", quote_id, links.quote_)
    )
