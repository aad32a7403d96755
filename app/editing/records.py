"""Stored records as the API edits them: who owns each one, and its current coding.

A PATCH is a merge patch over the record's coding (the shape it has in a coding file, the
shape POST accepts), so the merged result is checked by exactly the rules a new record is.
"""

from typing import Any

from sqlalchemy import Connection, select

from app.coding.dates import format_at
from app.editing.errors import Conflict, NotFound
from app.editing.store import read_records, table_of
from app.loader.dataset import Record
from app.tables import event, quote, source


def owned(connection: Connection, kind: str, record_id: str) -> dict[str, Any]:
    """The record's row if the API made it; NotFound, or Conflict naming who owns it."""
    table = table_of(kind)
    row = connection.execute(select(table).where(table.c.id == record_id)).mappings().first()
    if row is None:
        raise NotFound(kind, record_id)
    if row["origin"] != "api":
        raise Conflict(owner_message(kind, record_id, row["origin"], row.get("source_id")))
    return dict(row)


def owner_message(kind: str, record_id: str, origin: str, source_id: str | None = None) -> str:
    """Why the API may not change a record it did not make, and where to change it instead."""
    if origin == "seed":
        if kind in ("actor", "region"):
            home = "the reference coding (seeds/reference.yaml)"
        elif kind == "source":
            home = "its coding file"
        else:
            home = f"the coding file of source {source_id!r}"
        return (
            f"{kind} {record_id!r} was made by `geoevents seed` and belongs to {home}: "
            "edit it there and run `geoevents seed` again."
        )
    return f"{kind} {record_id!r} was imported ({origin}) and belongs to its import: change it there and import again."


def require_new(connection: Connection, kind: str, record_id: str) -> None:
    """Conflict if the id is taken, whoever holds it."""
    table = table_of(kind)
    row = connection.execute(select(table.c.origin).where(table.c.id == record_id)).first()
    if row is not None:
        raise Conflict(f"{kind} id {record_id!r} is taken (by a record made by {row.origin}); ids are never reused.")


def actor_coding(connection: Connection, actor_id: str) -> dict[str, Any]:
    """An actor as an entry of the reference coding."""
    record = read_records(connection, "actor", [actor_id])[actor_id]
    row = record.row
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "aliases": [alias["alias"] for alias in record.children["actor_alias"]],
        "description": row["description"],
        "affiliation": row["affiliation_id"],
    }


def region_coding(connection: Connection, region_id: str) -> dict[str, Any]:
    """A region as an entry of the reference coding."""
    record = read_records(connection, "region", [region_id])[region_id]
    row = record.row
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "aliases": [alias["alias"] for alias in record.children["region_alias"]],
        "description": row["description"],
        "parent": row["parent_id"],
        "iso_code": row["iso_code"],
        "lat": row["lat"],
        "lon": row["lon"],
    }


def source_coding(row: dict[str, Any]) -> dict[str, Any]:
    """A source row as the `source` entry of its document coding."""
    return {
        "id": row["id"],
        "title": row["title"],
        "file": row["file_name"],
        "publisher": row["publisher"],
        "published": row["published_date"].isoformat() if row["published_date"] else None,
        "url": row["url"],
    }


def document_coding(connection: Connection, source_id: str) -> tuple[str, dict[str, Any]]:
    """A source's text and its whole coding (source, quotes, events), as a coding file would hold them."""
    row = connection.execute(select(source).where(source.c.id == source_id)).mappings().one()
    quote_ids = (
        connection.execute(
            select(quote.c.id).where(quote.c.source_id == source_id).order_by(quote.c.span_start, quote.c.id)
        )
        .scalars()
        .all()
    )
    event_ids = (
        connection.execute(
            select(event.c.id).where(event.c.source_id == source_id).order_by(event.c.created_at, event.c.id)
        )
        .scalars()
        .all()
    )
    quotes = read_records(connection, "quote", quote_ids)
    events = read_records(connection, "event", event_ids)
    coding = {
        "source": source_coding(dict(row)),
        "quotes": [_quote_entry(quotes[i].row) for i in quote_ids],
        "events": [_event_entry(events[i]) for i in event_ids],
    }
    return row["text"], coding


def _quote_entry(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "kind": row["kind"], "text": row["text"], "speaker": row["speaker_id"]}


def _event_entry(record: Record) -> dict[str, Any]:
    row, children = record.row, record.children
    precision = row["date_precision"]
    date = {"precision": precision}
    if row["start_date"] is not None:
        date["start"] = format_at(row["start_date"], precision)
    if row["end_date"] is not None:
        date["end"] = format_at(row["end_date"], precision)
    return {
        "id": row["id"],
        "title": row["title"],
        "summary": row["summary"],
        "type": row["type"],
        "status": row["status"],
        "date": date,
        "location": row["location"],
        "actors": [{"id": a["actor_id"], "role": a["role"]} for a in children["event_actor"]],
        "regions": [r["region_id"] for r in children["event_region"]],
        "figures": [{"value": f["value"], "unit": f["unit"], "text": f["text"]} for f in children["figure"]],
        "quotes": [q["quote_id"] for q in children["event_quote"]],
    }
