"""POST, PATCH and DELETE /api/v1/quotes: quotes of sources made through the API."""

from typing import Annotated, Any

from fastapi import Body, Request
from pydantic import WithJsonSchema
from starlette.responses import Response

from app.api import schemas
from app.api.auth import Curator
from app.api.responses import JSONResponse
from app.api.routes import edit_common as common
from app.editing import quotes
from app.editing.models import QuoteInput

router = common.edit_router("quotes", "quotes")

_EXAMPLE = {
    "id": "putin-wants-quiet-talks",
    "source": "alaska-brief-annotated",
    "kind": "statement",
    "speaker": "vladimir-putin",
    "text": "this must be done calmly, in the quiet of the negotiation process",
}
QuotePatch = Annotated[
    dict[str, Any],
    WithJsonSchema(common.merge_patch_schema(QuoteInput)),
    Body(
        media_type="application/merge-patch+json",
        openapi_examples={"kind": {"summary": "Reclassify", "value": {"kind": "excerpt", "speaker": None}}},
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=schemas.Quote,
    summary="Create a quote",
    responses=common.responses(*common.WRITE_ERRORS, 409, created=True),
)
def create_quote(
    request: Request,
    owner: Curator,
    data: Annotated[QuoteInput, Body(openapi_examples={"statement": {"summary": "A statement", "value": _EXAMPLE}})],
) -> JSONResponse:
    """Add a quote to a source made through the API: its `text` must occur exactly once in the source's text
    (its span is found there), a statement names its `speaker`. Sources made by seeding belong to their
    coding files: 409. Needs a token of scope `write`."""
    return common.create(request, owner, "quote", lambda writer: quotes.create(writer, data))


@router.patch(
    "/{quote_id}",
    response_model=schemas.Quote,
    summary="Change a quote",
    responses={**common.changed_response(), **common.responses(*common.CHANGE_ERRORS)},
)
def patch_quote(
    quote_id: str, request: Request, owner: Curator, patch: QuotePatch, if_match: common.IfMatch = None
) -> JSONResponse:
    """Apply a JSON merge patch to a quote made through the API. A new `text` is located again, and so is
    every figure of the events citing it; if any can no longer be found, nothing changes (422)."""
    return common.change(request, owner, "quote", quote_id, if_match, lambda w: quotes.update(w, quote_id, patch))


@router.delete(
    "/{quote_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a quote",
    responses=common.responses(*common.DELETE_ERRORS),
)
def delete_quote(quote_id: str, request: Request, owner: Curator, if_match: common.IfMatch = None) -> Response:
    """Delete a quote made through the API that no event cites as evidence (else 409)."""
    return common.remove(request, owner, "quote", quote_id, if_match, lambda w: quotes.delete(w, quote_id))
