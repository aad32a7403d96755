"""POST, PATCH and DELETE /api/v1/regions: regions curated through the API."""

from typing import Annotated, Any

from fastapi import Body, Request
from pydantic import WithJsonSchema
from starlette.responses import Response

from app.api import schemas
from app.api.auth import Curator
from app.api.responses import JSONResponse
from app.api.routes import edit_common as common
from app.editing import regions
from app.editing.models import RegionInput

router = common.edit_router("regions", "regions")

_EXAMPLE = {
    "id": "tehran",
    "name": "Tehran",
    "kind": "city",
    "aliases": ["Tehran"],
    "parent": "iran",
    "lat": 35.6892,
    "lon": 51.389,
}
RegionPatch = Annotated[
    dict[str, Any],
    WithJsonSchema(common.merge_patch_schema(RegionInput)),
    Body(
        media_type="application/merge-patch+json",
        openapi_examples={"move": {"summary": "Set the coordinates", "value": {"lat": 35.7, "lon": 51.4}}},
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=schemas.RegionDetail,
    summary="Create a region",
    responses=common.responses(*common.WRITE_ERRORS, 409, created=True),
)
def create_region(
    request: Request,
    owner: Curator,
    data: Annotated[RegionInput, Body(openapi_examples={"city": {"summary": "A city", "value": _EXAMPLE}})],
) -> JSONResponse:
    """Add a region, checked like an entry of seeds/reference.yaml: a free id, aliases no other region uses,
    an existing `parent` and no cycle, a valid ISO 3166 code where its kind needs one. It joins the hierarchy
    at once (`/regions/{parent}/events` covers it). Needs a token of scope `write`."""
    return common.create(request, owner, "region", lambda writer: regions.create(writer, data))


@router.patch(
    "/{region_id}",
    response_model=schemas.RegionDetail,
    summary="Change a region",
    responses={**common.changed_response(), **common.responses(*common.CHANGE_ERRORS)},
)
def patch_region(
    region_id: str, request: Request, owner: Curator, patch: RegionPatch, if_match: common.IfMatch = None
) -> JSONResponse:
    """Apply a JSON merge patch to a region made through the API; the result is checked as a new region is.
    Regions made by seeding belong to seeds/reference.yaml: 409."""
    return common.change(request, owner, "region", region_id, if_match, lambda w: regions.update(w, region_id, patch))


@router.delete(
    "/{region_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a region",
    responses=common.responses(*common.DELETE_ERRORS),
)
def delete_region(region_id: str, request: Request, owner: Curator, if_match: common.IfMatch = None) -> Response:
    """Delete a region made through the API that no event lies in and no region is inside (else 409)."""
    return common.remove(request, owner, "region", region_id, if_match, lambda w: regions.delete(w, region_id))
