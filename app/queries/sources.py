"""Sources: the documents every quote and event is traced to."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from app.queries import mentions
from app.queries.keyset import SortKey, fetch_page
from app.tables import actor, event, quote, source

KEYS = [SortKey(source.c.id)]

_COLUMNS = (
    source.c.id,
    source.c.title,
    source.c.publisher,
    source.c.published_date,
    source.c.url,
    source.c.file_name,
    source.c.sha256,
    func.length(source.c.text).label("length"),
    select(func.count()).where(event.c.source_id == source.c.id).scalar_subquery().label("event_count"),
    select(func.count()).where(quote.c.source_id == source.c.id).scalar_subquery().label("quote_count"),
)


def _conditions(updated_since: datetime | None) -> list[Any]:
    return [source.c.updated_at > updated_since] if updated_since is not None else []


def list_sources(
    connection: Connection, *, updated_since: datetime | None = None, limit: int, after_values: list[Any] | None
) -> tuple[list[dict], list[Any] | None]:
    """A page of sources by id, without their text."""
    query = select(*_COLUMNS).where(*_conditions(updated_since))
    rows, next_values = fetch_page(connection, query, KEYS, after_values=after_values, limit=limit)
    return [_shaped(r) for r in rows], next_values


def count_sources(connection: Connection, *, updated_since: datetime | None = None) -> int:
    """How many sources match."""
    query = select(func.count()).select_from(source).where(*_conditions(updated_since))
    return connection.execute(query).scalar_one()


def get_source(connection: Connection, source_id: str) -> dict | None:
    """One source with its full text, or None."""
    row = connection.execute(select(*_COLUMNS, source.c.text).where(source.c.id == source_id)).mappings().first()
    if row is None:
        return None
    return {**_shaped(row), "text": row["text"]}


def annotations(connection: Connection, source_id: str) -> dict[str, list[dict]]:
    """The quotes and mentions of one source in document order, to mark up its text."""
    return {"quotes": _quotes_in(connection, source_id), "mentions": mentions.in_source(connection, source_id)}


def _quotes_in(connection: Connection, source_id: str) -> list[dict]:
    query = (
        select(quote.c.id, quote.c.kind, quote.c.span_start, quote.c.span_end, actor.c.id.label("speaker_id"),
               actor.c.name.label("speaker_name"))
        .outerjoin(actor, actor.c.id == quote.c.speaker_id)
        .where(quote.c.source_id == source_id)
        .order_by(quote.c.span_start, quote.c.id)
    )
    return [
        {
            "id": r["id"],
            "kind": r["kind"],
            "speaker": {"id": r["speaker_id"], "name": r["speaker_name"]} if r["speaker_id"] else None,
            "span": {"start": r["span_start"], "end": r["span_end"]},
        }
        for r in connection.execute(query).mappings()
    ]


def _shaped(r: RowMapping) -> dict:
    return {
        "id": r["id"],
        "title": r["title"],
        "publisher": r["publisher"],
        "published_date": r["published_date"].isoformat() if r["published_date"] else None,
        "url": r["url"],
        "file_name": r["file_name"],
        "sha256": r["sha256"],
        "length": r["length"],
        "event_count": r["event_count"],
        "quote_count": r["quote_count"],
    }
