"""Regions made through the API: create, change (merge patch), delete."""

from typing import Any

from sqlalchemy import select

from app.editing.errors import Conflict, Invalid
from app.editing.models import RegionInput
from app.editing.records import owned, region_coding, require_new
from app.editing.reference import alias_problems, link_problems
from app.editing.store import Writer
from app.editing.validation import patched
from app.loader.dataset import Record
from app.tables import event_region, region


def _record(data: RegionInput) -> Record:
    # The same row the loader's plan makes of a reference entry (app/loader/plan.py).
    return Record(
        row={
            "id": data.id,
            "name": data.name,
            "kind": data.kind.value,
            "description": data.description,
            "iso_code": data.iso_code,
            "parent_id": data.parent,
            "lat": data.lat,
            "lon": data.lon,
            "external_id": None,
            "origin": "api",
        },
        children={"region_alias": [{"alias": a, "position": i} for i, a in enumerate(data.aliases)]},
    )


def _check(writer: Writer, data: RegionInput) -> None:
    errors = alias_problems(writer.connection, "region", data.id, data.aliases)
    errors += link_problems(writer.connection, "region", data.id, "parent", data.parent)
    if errors:
        raise Invalid(errors)


def create(writer: Writer, data: RegionInput) -> str:
    """Add a new region; its id must be free and its parent must exist."""
    require_new(writer.connection, "region", data.id)
    _check(writer, data)
    writer.save("region", [_record(data)])
    return data.id


def update(writer: Writer, region_id: str, patch: Any) -> None:
    """Apply a merge patch to a region the API made, checked as a new one would be."""
    owned(writer.connection, "region", region_id)
    data = patched(RegionInput, region_coding(writer.connection, region_id), patch, region_id)
    _check(writer, data)
    writer.save("region", [_record(data)])


def delete(writer: Writer, region_id: str) -> None:
    """Delete a region the API made that no event and no other region lies in."""
    owned(writer.connection, "region", region_id)
    connection = writer.connection
    users = {
        "is the region of event(s)": select(event_region.c.event_id).where(event_region.c.region_id == region_id),
        "is the parent of": select(region.c.id).where(region.c.parent_id == region_id),
    }
    reasons = []
    for what, query in users.items():
        ids = sorted(connection.execute(query).scalars())
        if ids:
            reasons.append(f"{what} {', '.join(map(repr, ids))}")
    if reasons:
        raise Conflict(f"region {region_id!r} {'; '.join(reasons)}: change those first.")
    writer.delete("region", [region_id])
