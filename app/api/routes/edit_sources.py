"""POST, PATCH and DELETE /api/v1/sources: documents loaded with their coding through the API."""

from typing import Annotated, Any

from fastapi import Body, Request
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from starlette.responses import Response

from app.api import schemas
from app.api.auth import Curator
from app.api.responses import JSONResponse
from app.api.routes import edit_common as common
from app.editing import sources
from app.editing.models import DocumentInput, SourceInput

router = common.edit_router("sources", "sources")


class SourceUpload(BaseModel):
    """A document and its coding, loaded as `geoevents seed` loads a coding file and its text."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1, description="The document, unedited: every quote's `text` must occur in it exactly once."
    )
    coding: Annotated[dict[str, Any], WithJsonSchema(common.inline_schema(DocumentInput))] = Field(
        description="The coding, in the shape of a seeds/ document coding (source, quotes, events), referring to "
        "actors and regions in the database. Checked whole: every problem is listed (422 invalid-coding)."
    )


_EXAMPLE = {
    "text": 'Putin openly argued that negotiations should be conducted in secret: "in order to approach the '
    "issue peacefully, it is necessary to conduct detailed conversations. And not in public, but this must be "
    'done calmly, in the quiet of the negotiation process."',
    "coding": {
        "source": {"id": "alaska-brief-annotated", "title": "Putin on secret negotiations"},
        "quotes": [
            {
                "id": "putin-wants-quiet-talks",
                "kind": "statement",
                "speaker": "vladimir-putin",
                "text": "this must be done calmly, in the quiet of the negotiation process",
            }
        ],
        "events": [
            {
                "id": "putin-urges-quiet-talks",
                "title": "Putin urges quiet negotiations",
                "summary": "Putin said peace talks should be held calmly and away from the public.",
                "type": "REQUEST",
                "status": "occurred",
                "date": {"precision": "unknown"},
                "actors": [{"id": "vladimir-putin", "role": "initiator"}],
                "quotes": ["putin-wants-quiet-talks"],
            }
        ],
    },
}
SourcePatch = Annotated[
    dict[str, Any],
    WithJsonSchema(common.merge_patch_schema(SourceInput)),
    Body(
        media_type="application/merge-patch+json",
        openapi_examples={"publisher": {"summary": "Add the publisher", "value": {"publisher": "Example Weekly"}}},
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=schemas.SourceDetail,
    summary="Load a document with its coding",
    responses=common.responses(*common.WRITE_ERRORS, created=True),
)
def create_source(
    request: Request,
    owner: Curator,
    upload: Annotated[
        SourceUpload, Body(openapi_examples={"brief": {"summary": "A text and its coding", "value": _EXAMPLE}})
    ],
) -> JSONResponse:
    """Load a document and its coding through the same checks as `geoevents seed` (the coding format's rules,
    every reference, each quote found exactly once in `text`, each figure in its quotes), all or nothing:
    any problem is a 422 listing every one with its entry and field, and nothing is written. Ids already taken
    are problems too. Its quotes, events and mentions are served at once. Needs a token of scope `write`."""
    return common.create(request, owner, "source", lambda writer: sources.create(writer, upload.text, upload.coding))


@router.patch(
    "/{source_id}",
    response_model=schemas.SourceDetail,
    summary="Change a source's description",
    responses={**common.changed_response(), **common.responses(*common.CHANGE_ERRORS)},
)
def patch_source(
    source_id: str, request: Request, owner: Curator, patch: SourcePatch, if_match: common.IfMatch = None
) -> JSONResponse:
    """Change the title, publisher, publication date, URL or file name of a source made through the API.
    The text never changes (every span indexes into it): post a new source instead."""
    return common.change(request, owner, "source", source_id, if_match, lambda w: sources.update(w, source_id, patch))


@router.delete(
    "/{source_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a source",
    responses=common.responses(*common.DELETE_ERRORS),
)
def delete_source(source_id: str, request: Request, owner: Curator, if_match: common.IfMatch = None) -> Response:
    """Delete a source made through the API with all its quotes and events; each gets a tombstone in the feed."""
    return common.remove(request, owner, "source", source_id, if_match, lambda w: sources.delete(w, source_id))
