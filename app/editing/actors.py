"""Actors made through the API: create, change (merge patch), delete."""

from typing import Any

from sqlalchemy import select

from app.editing.errors import Conflict, Invalid
from app.editing.models import ActorInput
from app.editing.records import actor_coding, owned, require_new
from app.editing.reference import alias_problems, link_problems
from app.editing.store import Writer
from app.editing.validation import patched
from app.loader.dataset import Record
from app.tables import actor, event_actor, quote


def _record(data: ActorInput) -> Record:
    # The same row the loader's plan makes of a reference entry (app/loader/plan.py).
    return Record(
        row={
            "id": data.id,
            "name": data.name,
            "kind": data.kind.value,
            "description": data.description,
            "affiliation_id": data.affiliation,
            "code": None,
            "country_code": None,
            "origin": "api",
        },
        children={"actor_alias": [{"alias": a, "position": i} for i, a in enumerate(data.aliases)]},
    )


def _check(writer: Writer, data: ActorInput) -> None:
    errors = alias_problems(writer.connection, "actor", data.id, data.aliases)
    errors += link_problems(writer.connection, "actor", data.id, "affiliation", data.affiliation)
    if errors:
        raise Invalid(errors)


def create(writer: Writer, data: ActorInput) -> str:
    """Add a new actor; its id must be free."""
    require_new(writer.connection, "actor", data.id)
    _check(writer, data)
    writer.save("actor", [_record(data)])
    return data.id


def update(writer: Writer, actor_id: str, patch: Any) -> None:
    """Apply a merge patch to an actor the API made, checked as a new one would be."""
    owned(writer.connection, "actor", actor_id)
    data = patched(ActorInput, actor_coding(writer.connection, actor_id), patch, actor_id)
    _check(writer, data)
    writer.save("actor", [_record(data)])


def delete(writer: Writer, actor_id: str) -> None:
    """Delete an actor the API made that nothing refers to."""
    owned(writer.connection, "actor", actor_id)
    connection = writer.connection
    users = {
        "takes part in event(s)": select(event_actor.c.event_id).where(event_actor.c.actor_id == actor_id).distinct(),
        "speaks quote(s)": select(quote.c.id).where(quote.c.speaker_id == actor_id),
        "is the affiliation of": select(actor.c.id).where(actor.c.affiliation_id == actor_id),
    }
    reasons = []
    for what, query in users.items():
        ids = sorted(connection.execute(query).scalars())
        if ids:
            reasons.append(f"{what} {', '.join(map(repr, ids))}")
    if reasons:
        raise Conflict(f"actor {actor_id!r} {'; '.join(reasons)}: change those first.")
    writer.delete("actor", [actor_id])
