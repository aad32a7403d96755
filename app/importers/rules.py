"""Checks and orderings the bulk writer applies to a batch before writing it."""

from app.coding.vocabulary import (
    ActorKind,
    ActorRole,
    DatePrecision,
    EventStatus,
    EventType,
    QuoteKind,
    RegionKind,
)
from app.importers.records import COLUMNS, FILLABLE, Batch, EventRecord, Row


def fill(name: str, stored: Row, new: Row) -> Row:
    """`stored` with its empty fillable columns taken from `new`."""
    values = list(stored)
    columns = COLUMNS[name]
    for fillable in FILLABLE[name]:
        group = fillable if isinstance(fillable, tuple) else (fillable,)
        indexes = [columns.index(c) for c in group]
        if all(values[i] is None for i in indexes) and all(new[i] is not None for i in indexes):
            for i in indexes:
                values[i] = new[i]
    return tuple(values)


def parents_first(name: str, rows: list[Row]) -> list[Row]:
    """New actors or regions ordered so a parent (affiliation) is inserted before what points at it."""
    pointer = COLUMNS[name].index("parent_id" if name == "region" else "affiliation_id")
    by_id = {r[0]: r for r in rows}
    ordered: list[Row] = []
    placed: set[str] = set()
    for row in rows:
        chain = []
        while row is not None and row[0] not in placed:
            chain.append(row)
            placed.add(row[0])
            row = by_id.get(row[pointer])
        ordered += reversed(chain)
    return ordered


def drop_unreferenced(batch: Batch, also: list[EventRecord]) -> None:
    """Sources and quotes that neither the batch's events nor `also` need (their event was
    refused) are not written."""
    events = [*batch.events.values(), *also]
    quote_ids = {q for e in events for q in e.quotes}
    batch.quotes = {i: r for i, r in batch.quotes.items() if i in quote_ids}
    source_ids = {e.row[1] for e in events} | {r[1] for r in batch.quotes.values()}
    batch.sources = {i: r for i, r in batch.sources.items() if i in source_ids}


def check(batch: Batch) -> None:
    """Every value a CHECK constraint guards is in its vocabulary (SQLite skips the CHECKs)."""
    checks = [
        ("event type", {e.row[4] for e in batch.events.values()}, set(EventType)),
        ("event status", {e.row[5] for e in batch.events.values()}, set(EventStatus)),
        ("date precision", {e.row[8] for e in batch.events.values()}, set(DatePrecision)),
        ("actor role", {role for e in batch.events.values() for _, role in e.actors}, set(ActorRole)),
        ("actor kind", {r[2] for r in batch.actors.values()}, set(ActorKind)),
        ("region kind", {r[2] for r in batch.regions.values()}, set(RegionKind)),
        ("quote kind", {r[2] for r in batch.quotes.values()}, set(QuoteKind)),
    ]
    for label, values, allowed in checks:
        unknown = values - allowed
        if unknown:
            raise ValueError(f"importer produced an unknown {label}: {sorted(unknown)}")
    for row in batch.quotes.values():
        if not 0 <= row[5] < row[6]:
            raise ValueError(f"importer produced an empty or negative span for quote {row[0]!r}")
