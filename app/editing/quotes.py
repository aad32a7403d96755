"""Quotes of sources made through the API: create, change (merge patch), delete."""

from typing import Any

from sqlalchemy import select

from app.editing.documents import edit_document, update_entry
from app.editing.errors import Conflict, Invalid
from app.editing.models import QuoteInput
from app.editing.records import owned, owner_message, require_new
from app.editing.store import Writer
from app.tables import event_quote, source


def editable_source(writer: Writer, source_id: str, field: str = "body.source") -> None:
    """Quotes and events may be added only to a source the API made: a seeded one belongs to its coding."""
    row = writer.connection.execute(select(source.c.origin).where(source.c.id == source_id)).first()
    if row is None:
        raise Invalid([(field, f"unknown source {source_id!r}")])
    if row.origin != "api":
        raise Conflict(owner_message("source", source_id, row.origin))


def create(writer: Writer, data: QuoteInput) -> str:
    """Add a quote to a source the API made; its text must occur exactly once in the source's text."""
    require_new(writer.connection, "quote", data.id)
    editable_source(writer, data.source)
    entry = data.model_dump(mode="json", exclude={"source"})
    edit_document(writer, data.source, "quotes", data.id, lambda coding: coding["quotes"].append(entry))
    return data.id


def update(writer: Writer, quote_id: str, patch: Any) -> None:
    """Apply a merge patch; a changed text is located again, and so is every figure that cites it."""
    update_entry(writer, "quote", "quotes", quote_id, patch)


def delete(writer: Writer, quote_id: str) -> None:
    """Delete a quote that no event cites as evidence."""
    owned(writer.connection, "quote", quote_id)
    citing = sorted(
        writer.connection.execute(select(event_quote.c.event_id).where(event_quote.c.quote_id == quote_id)).scalars()
    )
    if citing:
        raise Conflict(
            f"quote {quote_id!r} is the evidence of event(s) {', '.join(map(repr, citing))}: change those first."
        )
    writer.delete("quote", [quote_id])
