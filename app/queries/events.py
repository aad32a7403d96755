"""Events: filtered keyset lists and details, with actors, regions, figures and evidence quotes."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, case, exists, func, literal, select

from app.coding.dates import format_at
from app.queries import fulltext
from app.queries.keyset import SortKey, date_key, fetch_page
from app.tables import (
    actor,
    event,
    event_actor,
    event_quote,
    event_region,
    figure,
    quote,
    region,
    region_ancestor,
    source,
)

SORTS = ("-date", "date")
_NO_DATE = literal(date(1, 1, 1), Date)
_OPEN_END = literal(date(9999, 12, 31), Date)


@dataclass(frozen=True)
class EventFilters:
    """What a client may narrow events by; a list means any of its values."""

    actor: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    updated_since: datetime | None = None
    # Set by /actors/{id}/events and /regions/{id}/events: ANDed with the lists above.
    scope_actor: str | None = None
    scope_region: str | None = None


def sort_keys(sort: str) -> list[SortKey]:
    """Dated events first in either direction, then by day, then by id to break ties."""
    descending = sort.startswith("-")
    dated = case((event.c.start_date.is_(None), 0), else_=1)
    return [
        SortKey(dated, descending=True),
        date_key(func.coalesce(event.c.start_date, _NO_DATE), descending=descending),
        SortKey(event.c.id, descending=descending),
    ]


def _involves(actor_ids: list[str]) -> Any:
    return exists().where(event_actor.c.event_id == event.c.id, event_actor.c.actor_id.in_(actor_ids))


def _located_in(region_ids: list[str]) -> Any:
    # The closure table makes "in this region or anywhere inside it" one join.
    return (
        exists()
        .select_from(event_region.join(region_ancestor, region_ancestor.c.region_id == event_region.c.region_id))
        .where(event_region.c.event_id == event.c.id, region_ancestor.c.ancestor_id.in_(region_ids))
    )


def _conditions(filters: EventFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.actor:
        conditions.append(_involves(filters.actor))
    if filters.scope_actor:
        conditions.append(_involves([filters.scope_actor]))
    if filters.region:
        conditions.append(_located_in(filters.region))
    if filters.scope_region:
        conditions.append(_located_in([filters.scope_region]))
    if filters.type:
        conditions.append(event.c.type.in_(filters.type))
    if filters.status:
        conditions.append(event.c.status.in_(filters.status))
    if filters.source:
        conditions.append(event.c.source_id.in_(filters.source))
    # An event matches a date range when the days it covers overlap it; an undated event
    # (start NULL) never matches, an open-ended one reaches to the end of time.
    if filters.date_from is not None:
        conditions.append(func.coalesce(event.c.end_date, _OPEN_END) >= filters.date_from)
        conditions.append(event.c.start_date.is_not(None))
    if filters.date_to is not None:
        conditions.append(event.c.start_date <= filters.date_to)
    if filters.q:
        conditions.append(fulltext.matches("event", event.c.id, filters.q))
    if filters.updated_since is not None:
        conditions.append(event.c.updated_at > filters.updated_since)
    return conditions


_LIST_COLUMNS = (
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
)


def _base():
    return select(*_LIST_COLUMNS).select_from(event.join(source, source.c.id == event.c.source_id))


def list_events(
    connection: Connection, filters: EventFilters, *, sort: str, limit: int, after_values: list[Any] | None
) -> tuple[list[dict], list[Any] | None]:
    """A page of events matching `filters`, and where the next page starts."""
    rows, next_values = fetch_page(
        connection, _base().where(*_conditions(filters)), sort_keys(sort), after_values=after_values, limit=limit
    )
    return _with_embeds(connection, rows), next_values


def count_events(connection: Connection, filters: EventFilters) -> int:
    """How many events match `filters`."""
    return connection.execute(select(func.count()).select_from(event).where(*_conditions(filters))).scalar_one()


def get_event(connection: Connection, event_id: str) -> dict | None:
    """One event, or None."""
    rows = list(connection.execute(_base().where(event.c.id == event_id)).mappings())
    if not rows:
        return None
    (item,) = _with_embeds(connection, rows)
    return item


def _with_embeds(connection: Connection, rows: list) -> list[dict]:
    ids = [row["id"] for row in rows]
    actors, regions, figures = _actors_of(connection, ids), _regions_of(connection, ids), _figures_of(connection, ids)
    quotes = _quotes_of(connection, ids)
    return [
        {
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
            "actors": actors.get(row["id"], []),
            "regions": regions.get(row["id"], []),
            "figures": figures.get(row["id"], []),
            "source": {"id": row["source_id"], "title": row["source_title"]},
            "quotes": quotes.get(row["id"], []),
        }
        for row in rows
    ]


def _grouped(connection: Connection, query, key: str, shape) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in connection.execute(query).mappings():
        grouped[row[key]].append(shape(row))
    return grouped


def _actors_of(connection: Connection, ids: list[str]) -> dict[str, list[dict]]:
    if not ids:
        return {}
    query = (
        select(event_actor.c.event_id, actor.c.id, actor.c.name, event_actor.c.role)
        .join(actor, actor.c.id == event_actor.c.actor_id)
        .where(event_actor.c.event_id.in_(ids))
        .order_by(event_actor.c.event_id, event_actor.c.position)
    )
    return _grouped(connection, query, "event_id", lambda r: {"id": r["id"], "name": r["name"], "role": r["role"]})


def _regions_of(connection: Connection, ids: list[str]) -> dict[str, list[dict]]:
    if not ids:
        return {}
    query = (
        select(event_region.c.event_id, region.c.id, region.c.name)
        .join(region, region.c.id == event_region.c.region_id)
        .where(event_region.c.event_id.in_(ids))
        .order_by(event_region.c.event_id, event_region.c.position)
    )
    return _grouped(connection, query, "event_id", lambda r: {"id": r["id"], "name": r["name"]})


def _figures_of(connection: Connection, ids: list[str]) -> dict[str, list[dict]]:
    if not ids:
        return {}
    query = select(figure).where(figure.c.event_id.in_(ids)).order_by(figure.c.event_id, figure.c.position)
    return _grouped(
        connection,
        query,
        "event_id",
        lambda r: {
            "value": r["value"],
            "unit": r["unit"],
            "text": r["text"],
            "span": {"start": r["span_start"], "end": r["span_end"]},
        },
    )


def _quotes_of(connection: Connection, ids: list[str]) -> dict[str, list[dict]]:
    if not ids:
        return {}
    query = (
        select(
            event_quote.c.event_id,
            quote.c.id,
            quote.c.text,
            quote.c.kind,
            quote.c.span_start,
            quote.c.span_end,
            actor.c.id.label("speaker_id"),
            actor.c.name.label("speaker_name"),
        )
        .join(event_quote, event_quote.c.quote_id == quote.c.id)
        .outerjoin(actor, actor.c.id == quote.c.speaker_id)
        .where(event_quote.c.event_id.in_(ids))
        .order_by(event_quote.c.event_id, event_quote.c.position)
    )
    return _grouped(
        connection,
        query,
        "event_id",
        lambda r: {
            "id": r["id"],
            "text": r["text"],
            "kind": r["kind"],
            "speaker": {"id": r["speaker_id"], "name": r["speaker_name"]} if r["speaker_id"] else None,
            "span": {"start": r["span_start"], "end": r["span_end"]},
        },
    )
