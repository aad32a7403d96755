"""/api/v1/changes: the change feed for clients that mirror the data."""

import base64
import binascii
import hashlib
import re
from typing import Annotated, Literal, NamedTuple

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from app.api.deps import read
from app.api.params import MAX_VALUES
from app.api.problems import Problem
from app.api.responses import JSONResponse
from app.queries import changes

router = APIRouter(prefix="/changes", tags=["changes"])

RecordType = Literal["source", "actor", "region", "quote", "event"]
# `after:{seq}:{mark}`; cursors issued before the mark existed, `after:{seq}`, still read.
_POSITION = re.compile(r"after:(0|[1-9][0-9]{0,17})(?::([A-Za-z0-9_-]{8}))?")
# change.seq is a 32-bit INTEGER on PostgreSQL: no cursor of this feed stands past it.
_MAX_SEQ = 2**31 - 1


class Position(NamedTuple):
    """Where a cursor stands: after change `seq`, made at the time `mark` digests (None: unchecked)."""

    seq: int
    mark: str | None


def history_mark(at: str) -> str:
    """A short digest of when a change was made: a database rebuilt to the same seq made
    its change at another time, so an old cursor cannot silently continue there."""
    return base64.urlsafe_b64encode(hashlib.sha256(at.encode()).digest()[:6]).decode()


def encode_position(seq: int, at: str | None) -> str:
    """The opaque cursor for the feed position just after `seq`, whose change was made `at`
    (None only for position 0, the beginning of every feed)."""
    text = f"after:{seq}" if at is None else f"after:{seq}:{history_mark(at)}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_position(cursor: str) -> Position:
    """Where a cursor stands; a 400 problem if it is not one this feed issued."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    match = _POSITION.fullmatch(text)
    seq = int(match.group(1)) if match else 0
    if match is None or seq > _MAX_SEQ or (seq == 0 and match.group(2)):
        detail = "`since` is not a change feed cursor: pass `meta.next_cursor` of an earlier page."
        raise Problem(400, "invalid-cursor", detail)
    return Position(seq, match.group(2))


# After seq 97, made at the time of Change's example.
_EXAMPLE_CURSOR = encode_position(97, "2026-11-25T09:20:48.294143Z")


class ChangeParams(BaseModel):
    # A misspelt parameter must not silently return the whole feed.
    model_config = ConfigDict(extra="forbid")

    since: str | None = Field(
        None,
        description=(
            "`meta.next_cursor` of an earlier page: only changes after that position. Absent: from the "
            "beginning. A position in the feed, valid with any `type` filter and across restarts; refused "
            "once the database has been rebuilt."
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
async def list_changes(request: Request, params: Annotated[ChangeParams, Query()]) -> JSONResponse:
    """Records created, updated and deleted, oldest first, for clients that keep a copy.

    Start without `since`, follow `links.next` until a page comes back with fewer than
    `limit` items, keep `meta.next_cursor`, and poll with it later: each page lists only
    what changed after it. A deleted record appears once more, as `op: deleted`.
    """
    since = decode_position(params.since) if params.since is not None else Position(0, None)

    def answer(connection: Connection) -> JSONResponse:
        page = changes.list_changes(connection, since=since.seq, types=list(params.type), limit=params.limit)
        if since.seq > page.version:
            raise Problem(
                400,
                "invalid-cursor",
                f"`since` is past the end of this feed (version {page.version}): the database was rebuilt; "
                "start again without `since`.",
            )
        if since.mark is not None and (page.since_at is None or history_mark(page.since_at) != since.mark):
            raise Problem(
                400,
                "invalid-cursor",
                f"`since` is from another history of this feed (change {since.seq} is missing or was made at "
                "another time): the database was rebuilt; start again without `since`.",
            )
        next_cursor = encode_position(page.next_position, page.next_at)
        return JSONResponse(
            {
                "data": page.items,
                "meta": {"limit": params.limit, "next_cursor": next_cursor, "version": page.version},
                "links": {"self": str(request.url), "next": str(request.url.include_query_params(since=next_cursor))},
            }
        )

    return await read(request, answer)
