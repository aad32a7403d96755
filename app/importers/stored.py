"""Reading back what is stored, in the shapes importers produce, so the two compare equal."""

from collections.abc import Iterable

from sqlalchemy import Connection, select

from app import tables
from app.importers.records import COLUMNS, Row
from app.importers.sql import RawWriter

_IN_CHUNK = 5000


def rows(connection: Connection, raw: RawWriter, name: str, ids: Iterable[str]) -> dict[str, tuple[Row, str]]:
    """Stored rows among `ids`: id -> (row in COLUMNS order, origin)."""
    table = tables.metadata.tables[name]
    columns = [table.c[c] for c in COLUMNS[name]] + [table.c.origin]
    found = {}
    # Most ids of a first import are new: find the stored ones with a plain statement,
    # and read typed rows (dates, JSON) only for those.
    present = sorted(raw.existing(name, list(ids)))
    for start in range(0, len(present), _IN_CHUNK):
        query = select(*columns).where(table.c.id.in_(present[start : start + _IN_CHUNK]))
        for row in connection.execute(query):
            found[row[0]] = (tuple(row[:-1]), row[-1])
    return found


def event_children(connection: Connection, ids: list[str]) -> dict[str, list[list]]:
    """Stored actors, regions, quotes and figures of events, in EventRecord's shapes."""
    children: dict[str, list[list]] = {i: [[], [], [], []] for i in ids}
    t = tables
    queries = [
        (select(t.event_actor.c.event_id, t.event_actor.c.actor_id, t.event_actor.c.role)
         .order_by(t.event_actor.c.event_id, t.event_actor.c.position), t.event_actor.c.event_id),
        (select(t.event_region.c.event_id, t.event_region.c.region_id)
         .order_by(t.event_region.c.event_id, t.event_region.c.position), t.event_region.c.event_id),
        (select(t.event_quote.c.event_id, t.event_quote.c.quote_id)
         .order_by(t.event_quote.c.event_id, t.event_quote.c.position), t.event_quote.c.event_id),
        (select(t.figure.c.event_id, t.figure.c.value, t.figure.c.unit, t.figure.c.text,
                t.figure.c.span_start, t.figure.c.span_end)
         .order_by(t.figure.c.event_id, t.figure.c.position), t.figure.c.event_id),
    ]
    for start in range(0, len(ids), _IN_CHUNK):
        part = ids[start : start + _IN_CHUNK]
        for slot, (query, key) in enumerate(queries):
            for row in connection.execute(query.where(key.in_(part))):
                rest = tuple(row[1:])
                children[row[0]][slot].append(rest[0] if slot in (1, 2) else rest)
    return children
