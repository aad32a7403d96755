"""What the search index holds for some records, read from the records' own tables.

Snippets need the text a record was indexed with. On SQLite the index can find a record
only through MATCH or its own rowid (record_id is an unindexed column, so looking ids up
in it reads the whole index); the records' tables find them by primary key. The texts
are put together exactly as app.loader.fulltext_index writes them, which a test checks
for every seeded record.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, literal, null, select

from app.queries.text import PART_SEPARATOR
from app.tables import actor, actor_alias, event, event_quote, quote, region, region_alias


def indexed_text(connection: Connection, kind: str, ids: list[str]) -> dict[str, tuple[str, str]]:
    """For each id of `kind` that exists: its index row's (name, body), in one statement."""
    if not ids:
        return {}
    parts: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for record_id, name, first, part in connection.execute(_query(kind, ids)):
        if record_id not in names:
            names[record_id] = name
            if first is not None:
                parts[record_id].append(first)
        if part is not None:
            parts[record_id].append(part)
    return {record_id: (name, PART_SEPARATOR.join(parts[record_id])) for record_id, name in names.items()}


def _query(kind: str, ids: list[str]) -> Any:
    """Rows (id, name, first body part or NULL, one later body part or NULL), a record's rows together."""
    if kind == "quote":
        return select(quote.c.id, literal(""), quote.c.text, null()).where(quote.c.id.in_(ids))
    if kind == "event":
        # The summary, then the text of each evidence quote in the event's order.
        # Two outer joins, not one to a nested join, which SQLite would materialize whole.
        evidence = event.outerjoin(event_quote, event_quote.c.event_id == event.c.id).outerjoin(
            quote, quote.c.id == event_quote.c.quote_id
        )
        return (
            select(event.c.id, event.c.title, event.c.summary, quote.c.text)
            .select_from(evidence)
            .where(event.c.id.in_(ids))
            .order_by(event.c.id, event_quote.c.position)
        )
    # Actors and regions: the name, then every alias in order.
    table, aliases = (actor, actor_alias) if kind == "actor" else (region, region_alias)
    owner = aliases.c[f"{kind}_id"]
    return (
        select(table.c.id, table.c.name, null(), aliases.c.alias)
        .select_from(table.outerjoin(aliases, owner == table.c.id))
        .where(table.c.id.in_(ids))
        .order_by(table.c.id, aliases.c.position)
    )
