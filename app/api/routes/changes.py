"""/api/v1/changes: the change feed for clients that mirror the data."""

import base64
import binascii
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import ConnectionDep
from app.api.params import MAX_VALUES
from app.api.problems import Problem
from app.api.responses import JSONResponse
from app.queries import changes

router = APIRouter(prefix="/changes", tags=["changes"])

RecordType = Literal["source", "actor", "region", "quote", "event"]
_POSITION = re.compile(r"after:(0|[1-9][0-9]{0,17})")
# change.seq is a 32-bit INTEGER on PostgreSQL: no cursor of this feed stands past it.
_MAX_SEQ = 2**31 - 1
_EXAMPLE_CURSOR = "YWZ0ZXI6OTc"  # the position after seq 97


def encode_position(seq: int) -> str:
    """The opaque cursor for the feed position just after `seq`."""
    return base64.urlsafe_b64encode(f"after:{seq}".encode()).decode().rstrip("=")


def decode_position(cursor: str) -> int:
    """The seq a cursor stands after; a 400 problem if it is not one this feed issued."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    match = _POSITION.fullmatch(text)
    if match is None or int(match.group(1)) > _MAX_SEQ:
        detail = "`since` is not a change feed cursor: pass `meta.next_cursor` of an earlier page."
        raise Problem(400, "invalid-cursor", detail)
    return int(match.group(1))


class ChangeParams(BaseModel):
    # A misspelt parameter must not silently return the whole feed.
    model_config = ConfigDict(extra="forbid")

    since: str | None = Field(
        None,
        description=(
            "`meta.next_cursor` of an earlier page: only changes after that position. Absent: from the "
            "beginning. A position in the feed, valid with any `type` filter and across restarts."
        ),
        examples=[_EXAMPLE_CURSOR],
    )
    limit: int = Field(50, ge=1, le=500, description="Page size, 1 to 500.", examples=[50])
    type: list[RecordType] = Field(
        [],
        max_length=MAX_VALUES,
        description="Only changes to records of this type (repeat for several).",
        examples=[["event", "quote"]],
    )


class Change(BaseModel):
    seq: int = Field(description="Position in the feed; increases in commit order.", examples=[98])
    type: RecordType = Field(examples=["event"])
    id: str = Field(
        description="The record's id (for a deletion, the id it had).", examples=["putin-trump-alaska-summit"]
    )
    op: Literal["created", "updated", "deleted"] = Field(
        description="`deleted` is a tombstone: the record is gone from the API.", examples=["updated"]
    )
    at: str = Field(
        description="When the seed, import or API write that made the change ran (UTC).",
        examples=["2026-11-25T09:20:48.294143Z"],
    )
    changed_by: str | None = Field(
        description="Who made it: `seed`, `import`, or the name of the API token that wrote it; null for changes "
        "recorded before the feed kept it.",
        examples=["seed"],
    )


class ChangeMeta(BaseModel):
    limit: int = Field(examples=[50])
    next_cursor: str = Field(
        description="Always present: the position after this page. Poll with it; an empty page means nothing changed.",
        examples=[_EXAMPLE_CURSOR],
    )
    version: int = Field(description="The data version: the highest `seq` of the whole feed.", examples=[97])


class ChangeLinks(BaseModel):
    self: str
    next: str = Field(description="This query from `meta.next_cursor`: the URL to poll.")


class ChangePage(BaseModel):
    data: list[Change]
    meta: ChangeMeta
    links: ChangeLinks


@router.get("", response_model=ChangePage, summary="List changes since a position")
def list_changes(request: Request, connection: ConnectionDep, params: Annotated[ChangeParams, Query()]) -> JSONResponse:
    """Records created, updated and deleted, oldest first, for clients that keep a copy.

    Start without `since`, follow `links.next` until a page comes back with fewer than
    `limit` items, keep `meta.next_cursor`, and poll with it later: each page lists only
    what changed after it. A deleted record appears once more, as `op: deleted`.
    """
    since = decode_position(params.since) if params.since is not None else 0
    page = changes.list_changes(connection, since=since, types=list(params.type), limit=params.limit)
    if since > page.version:
        raise Problem(
            400,
            "invalid-cursor",
            f"`since` is past the end of this feed (version {page.version}): the database was rebuilt; "
            "start again without `since`.",
        )
    next_cursor = encode_position(page.next_position)
    return JSONResponse(
        {
            "data": page.items,
            "meta": {"limit": params.limit, "next_cursor": next_cursor, "version": page.version},
            "links": {"self": str(request.url), "next": str(request.url.include_query_params(since=next_cursor))},
        }
    )
