"""POST, PATCH and DELETE /api/v1/events: events of sources made through the API."""

from typing import Annotated, Any

from fastapi import Body, Request
from pydantic import WithJsonSchema
from starlette.responses import Response

from app.api import schemas
from app.api.auth import Curator
from app.api.responses import JSONResponse
from app.api.routes import edit_common as common
from app.editing import events
from app.editing.models import EventInput

router = common.edit_router("events", "events")

_EXAMPLE = {
    "id": "putin-urges-quiet-talks",
    "source": "alaska-brief-annotated",
    "title": "Putin urges quiet negotiations",
    "summary": "Putin said peace talks should be held calmly and away from the public.",
    "type": "REQUEST",
    "status": "occurred",
    "date": {"precision": "unknown"},
    "actors": [{"id": "vladimir-putin", "role": "initiator"}],
    "regions": [],
    "figures": [],
    "quotes": ["putin-wants-quiet-talks"],
}
EventPatch = Annotated[
    dict[str, Any],
    WithJsonSchema(common.merge_patch_schema(EventInput)),
    Body(
        media_type="application/merge-patch+json",
        openapi_examples={
            "date": {"summary": "Date it", "value": {"date": {"precision": "month", "start": "2025-08"}}}
        },
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=schemas.Event,
    summary="Create an event",
    responses=common.responses(*common.WRITE_ERRORS, 409, created=True),
)
def create_event(
    request: Request,
    owner: Curator,
    data: Annotated[EventInput, Body(openapi_examples={"request": {"summary": "An event", "value": _EXAMPLE}})],
) -> JSONResponse:
    """Add an event to a source made through the API, checked as an entry of that source's coding: known
    actors and regions, evidence quotes of the same source, each figure's text found once in them, a date
    no finer than its precision. It is searchable and counted in facets at once. Needs a token of scope
    `write`."""
    return common.create(request, owner, "event", lambda writer: events.create(writer, data))


@router.patch(
    "/{event_id}",
    response_model=schemas.Event,
    summary="Change an event",
    responses={**common.changed_response(), **common.responses(*common.CHANGE_ERRORS)},
)
def patch_event(
    event_id: str, request: Request, owner: Curator, patch: EventPatch, if_match: common.IfMatch = None
) -> JSONResponse:
    """Apply a JSON merge patch to an event made through the API (`date` merges member by member, lists are
    replaced whole); the result is checked as a new event is. Seeded events belong to their coding files: 409."""
    return common.change(request, owner, "event", event_id, if_match, lambda w: events.update(w, event_id, patch))


@router.delete(
    "/{event_id}",
    status_code=204,
    response_class=Response,
    summary="Delete an event",
    responses=common.responses(*common.DELETE_ERRORS),
)
def delete_event(event_id: str, request: Request, owner: Curator, if_match: common.IfMatch = None) -> Response:
    """Delete an event made through the API; the change feed keeps a tombstone."""
    return common.remove(request, owner, "event", event_id, if_match, lambda w: events.delete(w, event_id))
