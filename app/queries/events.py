"""Events: filtered keyset lists, details and streamed exports, with their embeds."""

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, RowMapping, bindparam, func, select

from app.coding.dates import format_at
from app.queries import event_access, event_embeds, fulltext
from app.queries.event_filters import EventFilters, conditions, ranked_hits, sort_keys
from app.queries.keyset import SortKey, decode, fetch_page
from app.tables import event, source

__all__ = ["EventFilters", "conditions", "count_events", "get_event", "iter_events", "list_events", "sort_keys"]

_COLUMNS = (
    event.c.id,
    event.c.title,
    event.c.summary,
    event.c.type,
    event.c.status,
    event.c.start_date,
    event.c.end_date,
    event.c.date_precision,
    event.c.location,
    event.c.source_id,
    source.c.title.label("source_title"),
    source.c.publisher.label("source_publisher"),
    source.c.published_date.label("source_published_date"),
    source.c.url.label("source_url"),
)


def _base():
    return select(*_COLUMNS).select_from(event.join(source, source.c.id == event.c.source_id))


# Built once: constructing the statement costs more than running it on a primary key.
_DETAIL = _base().where(event.c.id == bindparam("event_id"))


def list_events(
    connection: Connection,
    filters: EventFilters,
    *,
    keys: Sequence[SortKey],
    limit: int,
    after_values: list[Any] | None,
    embeds: Sequence[str] = event_embeds.DEFAULT,
) -> tuple[list[dict], list[Any] | None]:
    """A page of events matching `filters`, and where the next page starts."""
    # Only the start date has an index to walk along (sort=end orders by an expression).
    walk = keys[0].nullable is event.c.start_date and event_access.walk_index(connection, filters)
    query, narrowing = _base(), filters
    hits = ranked_hits(keys)
    if hits is not None:
        # Sorted by relevance: the scored hits are joined once, and the join is the search filter.
        query, narrowing = query.join(hits, hits.c.id == event.c.id), replace(filters, q=None)
    query = query.where(*conditions(narrowing, walk=walk))
    rows, next_values = fetch_page(connection, query, keys, after_values=after_values, limit=limit)
    return shape(connection, rows, embeds, q=filters.q), next_values


def iter_events(
    connection: Connection,
    filters: EventFilters,
    *,
    keys: Sequence[SortKey],
    embeds: Sequence[str],
    limit: int | None = None,
    after_values: list[Any] | None = None,
    chunk: int = 500,
) -> Iterator[dict]:
    """Every matching event (or the first `limit`), fetched a chunk at a time: exports never hold them all."""
    remaining = limit
    while remaining is None or remaining > 0:
        size = chunk if remaining is None else min(chunk, remaining)
        items, next_values = list_events(
            connection, filters, keys=keys, limit=size, after_values=after_values, embeds=embeds
        )
        yield from items
        if remaining is not None:
            remaining -= len(items)
        if next_values is None:
            return
        # Page ends come back in their cursor (JSON) form: typed again for the next chunk.
        after_values = decode(keys, next_values)


def count_events(connection: Connection, filters: EventFilters) -> int:
    """How many events match `filters`, exactly."""
    query = select(func.count()).select_from(event).where(*conditions(filters))
    return connection.execute(query).scalar_one()


def get_event(connection: Connection, event_id: str, embeds: Sequence[str] = event_embeds.DEFAULT) -> dict | None:
    """One event, or None."""
    rows = list(connection.execute(_DETAIL, {"event_id": event_id}).mappings())
    return shape(connection, rows, embeds)[0] if rows else None


def shape(connection: Connection, rows: list[RowMapping], embeds: Sequence[str], q: str | None = None) -> list[dict]:
    """Rows as API dicts, with the requested embeds fetched in one statement each."""
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    wanted = set(embeds)
    fetched: dict[str, dict] = {}
    for name, fetch in (
        ("actors", event_embeds.actors_of),
        ("regions", event_embeds.regions_of),
        ("figures", event_embeds.figures_of),
        ("quotes", event_embeds.quotes_of),
    ):
        if name in wanted:
            fetched[name] = fetch(connection, ids)
    if "citation" in wanted:
        fetched["evidence"] = fetched["quotes"] if "quotes" in fetched else event_embeds.spans_of(connection, ids)
    if wanted & {"countries", "point"}:
        fetched["countries"], fetched["point"] = event_embeds.places_of(connection, ids)
    matches = fulltext.highlights(connection, "event", ids, q) if q else {}
    items = []
    for row in rows:
        item: dict[str, Any] = {
            "id": row["id"],
            "title": row["title"],
            "summary": row["summary"],
            "type": row["type"],
            "status": row["status"],
            "date": {
                "start": format_at(row["start_date"], row["date_precision"]),
                "end": format_at(row["end_date"], row["date_precision"]),
                "precision": row["date_precision"],
            },
            "location": row["location"],
            "source": {"id": row["source_id"], "title": row["source_title"]},
        }
        for name in ("actors", "regions", "figures", "quotes"):
            if name in fetched:
                item[name] = fetched[name].get(row["id"], [])
        if "citation" in wanted:
            item["citation"] = event_embeds.citation(row, fetched["evidence"].get(row["id"], []))
        if "countries" in wanted:
            item["countries"] = sorted(fetched["countries"].get(row["id"], []))
        if "point" in wanted:
            item["point"] = fetched["point"].get(row["id"])
        if q:
            item["match"] = matches.get(row["id"])
        items.append(item)
    return items
