"""Events of sources made through the API: create, change (merge patch), delete."""

from typing import Any

from app.editing.documents import edit_document
from app.editing.errors import Invalid
from app.editing.merge import merge_patch
from app.editing.models import EventInput
from app.editing.quotes import editable_source
from app.editing.records import owned, require_new
from app.editing.store import Writer
from app.editing.validation import check_patch


def create(writer: Writer, data: EventInput) -> str:
    """Add an event to a source the API made, checked as an entry of that source's coding."""
    require_new(writer.connection, "event", data.id)
    editable_source(writer, data.source)
    entry = data.model_dump(mode="json", exclude={"source"})
    edit_document(writer, data.source, "events", data.id, lambda coding: coding["events"].append(entry))
    return data.id


def update(writer: Writer, event_id: str, patch: Any) -> None:
    """Apply a merge patch to an event the API made; the result is checked as a new event would be."""
    row = owned(writer.connection, "event", event_id)
    patch = check_patch(patch, event_id)
    if patch.get("source", row["source_id"]) != row["source_id"]:
        raise Invalid([("body.source", f"an event stays in its source ({row['source_id']!r})")])
    patch = {name: value for name, value in patch.items() if name != "source"}

    def change(coding: dict[str, Any]) -> None:
        index = next(i for i, item in enumerate(coding["events"]) if item["id"] == event_id)
        coding["events"][index] = merge_patch(coding["events"][index], patch)

    edit_document(writer, row["source_id"], "events", event_id, change)


def delete(writer: Writer, event_id: str) -> None:
    """Delete an event the API made."""
    owned(writer.connection, "event", event_id)
    writer.delete("event", [event_id])
