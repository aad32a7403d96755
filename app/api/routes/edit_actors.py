"""POST, PATCH and DELETE /api/v1/actors: actors curated through the API."""

from typing import Annotated, Any

from fastapi import Body, Request
from pydantic import WithJsonSchema
from starlette.responses import Response

from app.api import schemas
from app.api.auth import Curator
from app.api.responses import JSONResponse
from app.api.routes import edit_common as common
from app.editing import actors
from app.editing.models import ActorInput

router = common.edit_router("actors", "actors")

_EXAMPLE = {
    "id": "russian-businessmen",
    "name": "Russian businessmen",
    "kind": "group",
    "aliases": ["Russian businessmen"],
    "description": "Russian business figures present at the Alaska summit.",
    "affiliation": "russia",
}
ActorPatch = Annotated[
    dict[str, Any],
    WithJsonSchema(common.merge_patch_schema(ActorInput)),
    Body(
        media_type="application/merge-patch+json",
        openapi_examples={"rename": {"summary": "Change the description", "value": {"description": "Oligarchs."}}},
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=schemas.Actor,
    summary="Create an actor",
    responses=common.responses(*common.WRITE_ERRORS, 409, created=True),
)
def create_actor(
    request: Request,
    owner: Curator,
    data: Annotated[ActorInput, Body(openapi_examples={"group": {"summary": "A group", "value": _EXAMPLE}})],
) -> JSONResponse:
    """Add an actor, checked like an entry of seeds/reference.yaml: a free id, aliases no other actor uses
    (ignoring case), an existing `affiliation` and no affiliation cycle. Its mentions in every source are
    found at once. Needs a token of scope `write`."""
    return common.create(request, owner, "actor", lambda writer: actors.create(writer, data))


@router.patch(
    "/{actor_id}",
    response_model=schemas.Actor,
    summary="Change an actor",
    responses={**common.changed_response(), **common.responses(*common.CHANGE_ERRORS)},
)
def patch_actor(
    actor_id: str, request: Request, owner: Curator, patch: ActorPatch, if_match: common.IfMatch = None
) -> JSONResponse:
    """Apply a JSON merge patch to an actor made through the API; the result is checked as a new actor is.
    Actors made by seeding belong to seeds/reference.yaml: 409."""
    return common.change(request, owner, "actor", actor_id, if_match, lambda w: actors.update(w, actor_id, patch))


@router.delete(
    "/{actor_id}",
    status_code=204,
    response_class=Response,
    summary="Delete an actor",
    responses=common.responses(*common.DELETE_ERRORS),
)
def delete_actor(actor_id: str, request: Request, owner: Curator, if_match: common.IfMatch = None) -> Response:
    """Delete an actor made through the API that no event, quote or other actor refers to (else 409)."""
    return common.remove(request, owner, "actor", actor_id, if_match, lambda w: actors.delete(w, actor_id))
