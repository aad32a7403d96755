"""Events of sources made through the API: create, change (merge patch), delete."""

from typing import Any

from app.editing.documents import edit_document, update_entry
from app.editing.models import EventInput
from app.editing.quotes import editable_source
from app.editing.records import owned, require_new
from app.editing.store import Writer


def create(writer: Writer, data: EventInput) -> str:
    """Add an event to a source the API made, checked as an entry of that source's coding."""
    require_new(writer.connection, "event", data.id)
    editable_source(writer, data.source)
    entry = data.model_dump(mode="json", exclude={"source"})
    edit_document(writer, data.source, "events", data.id, lambda coding: coding["events"].append(entry))
    return data.id


def update(writer: Writer, event_id: str, patch: Any) -> None:
    """Apply a merge patch to an event the API made; the result is checked as a new event would be."""
    update_entry(writer, "event", "events", event_id, patch)


def delete(writer: Writer, event_id: str) -> None:
    """Delete an event the API made."""
    owned(writer.connection, "event", event_id)
    writer.delete("event", [event_id])
