"""Sources made through the API: a document and its coding in, checked whole; then its
bibliographic fields changed, or the whole document deleted."""

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from app.editing.documents import check_document, save_document, taken_ids
from app.editing.errors import Conflict, Invalid, InvalidCoding
from app.editing.merge import merge_patch
from app.editing.models import SourceInput
from app.editing.records import owned, source_coding
from app.editing.store import Writer
from app.editing.validation import body_errors, check_patch
from app.loader.dataset import Record
from app.tables import event, quote


def create(writer: Writer, text: str, coding: Any) -> str:
    """Load a document and its coding, all or nothing; InvalidCoding lists every problem."""
    dataset = check_document(writer.connection, text, coding)
    problems = taken_ids(writer.connection, coding)
    if problems:
        raise InvalidCoding(problems)
    save_document(writer, dataset)
    return next(iter(dataset.sources))


def update(writer: Writer, source_id: str, patch: Any) -> None:
    """Change a source's title, publisher, date, URL or file name; never its text."""
    row = owned(writer.connection, "source", source_id)
    patch = check_patch(patch, source_id)
    if "text" in patch:
        reason = "the text never changes: every quote's span indexes into it; post the new text as a new source"
        raise Invalid([("body.text", reason)])
    merged = merge_patch(source_coding(row), patch)
    try:
        data = SourceInput.model_validate(merged)
    except ValidationError as error:
        raise Invalid(body_errors(error)) from None
    updated = {
        **row,
        "title": data.title,
        "publisher": data.publisher,
        "published_date": data.published,
        "url": data.url,
        "file_name": data.file or f"{source_id}.txt",
    }
    writer.save("source", [_as_record(updated)])


def delete(writer: Writer, source_id: str) -> None:
    """Delete a source with its quotes and events (tombstones for each)."""
    owned(writer.connection, "source", source_id)
    connection = writer.connection
    foreign = []
    for kind, table in (("event", event), ("quote", quote)):
        query = select(table.c.id).where(table.c.source_id == source_id, table.c.origin != "api")
        foreign += [f"{kind} {record_id!r}" for record_id in connection.execute(query).scalars()]
    if foreign:
        raise Conflict(f"source {source_id!r} holds records the API did not make ({', '.join(foreign)}).")
    event_ids = sorted(connection.execute(select(event.c.id).where(event.c.source_id == source_id)).scalars())
    quote_ids = sorted(connection.execute(select(quote.c.id).where(quote.c.source_id == source_id)).scalars())
    writer.delete("event", event_ids)
    writer.delete("quote", quote_ids)
    writer.delete("source", [source_id])


def _as_record(row: dict[str, Any]) -> Record:
    return Record(row={k: v for k, v in row.items() if k not in ("created_at", "updated_at")})
