"""Quotes: verbatim spans of sources, with their speaker and the events they evidence."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from app.queries import fulltext
from app.queries.keyset import Sortable, SortError, SortKey, fetch_page, parse_sort
from app.tables import actor, event, event_quote, quote, source

# What each `sort` value means: document order is by source, then offset in it.
SORTS = {"document": "source,offset", "relevance": "relevance,source,offset"}


def sort_keys(sort: str, q: str | None) -> list[SortKey]:
    """Keys for `sort` (a key of SORTS); `relevance` needs a search, its ties go in document order."""
    fields = {"source": Sortable(quote.c.source_id), "offset": Sortable(quote.c.span_start)}
    if q:
        fields["relevance"] = Sortable(fulltext.relevance("quote", quote.c.id, q), best_first=True)
    elif sort == "relevance":
        raise SortError("sorting by relevance needs a search: add q")
    return parse_sort(SORTS[sort], fields, quote.c.id)


def _base():
    return (
        select(
            quote.c.id,
            quote.c.text,
            quote.c.kind,
            quote.c.span_start,
            quote.c.span_end,
            quote.c.source_id,
            source.c.title.label("source_title"),
            actor.c.id.label("speaker_id"),
            actor.c.name.label("speaker_name"),
        )
        .join(source, source.c.id == quote.c.source_id)
        .outerjoin(actor, actor.c.id == quote.c.speaker_id)
    )


@dataclass(frozen=True)
class QuoteFilters:
    source: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    speaker: list[str] = field(default_factory=list)
    event: list[str] = field(default_factory=list)
    scope_speaker: str | None = None
    q: str | None = None
    updated_since: datetime | None = None


def _conditions(filters: QuoteFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.source:
        conditions.append(quote.c.source_id.in_(filters.source))
    if filters.kind:
        conditions.append(quote.c.kind.in_(filters.kind))
    if filters.speaker:
        conditions.append(quote.c.speaker_id.in_(filters.speaker))
    if filters.scope_speaker:
        conditions.append(quote.c.speaker_id == filters.scope_speaker)
    if filters.event:
        evidence = select(event_quote.c.quote_id).where(event_quote.c.event_id.in_(filters.event))
        conditions.append(quote.c.id.in_(evidence))
    if filters.q:
        conditions.append(fulltext.matches("quote", quote.c.id, filters.q))
    if filters.updated_since is not None:
        conditions.append(quote.c.updated_at > filters.updated_since)
    return conditions


def list_quotes(
    connection: Connection, filters: QuoteFilters, *, keys: list[SortKey], limit: int, after_values: list[Any] | None
) -> tuple[list[dict], list[Any] | None]:
    """A page of quotes in `keys` order; with `q`, each says where it matched (`match`)."""
    query = _base().where(*_conditions(filters))
    rows, next_values = fetch_page(connection, query, keys, after_values=after_values, limit=limit)
    items = _shaped(connection, rows)
    if filters.q:
        found = fulltext.highlights(connection, "quote", [item["id"] for item in items], filters.q)
        for item in items:
            item["match"] = found.get(item["id"])
    return items, next_values


def count_quotes(connection: Connection, filters: QuoteFilters) -> int:
    """How many quotes match."""
    return connection.execute(select(func.count()).select_from(quote).where(*_conditions(filters))).scalar_one()


def get_quote(connection: Connection, quote_id: str) -> dict | None:
    """One quote, or None."""
    rows = list(connection.execute(_base().where(quote.c.id == quote_id)).mappings())
    return _shaped(connection, rows)[0] if rows else None


def _shaped(connection: Connection, rows: list[RowMapping]) -> list[dict]:
    events: dict[str, list[dict]] = defaultdict(list)
    if rows:
        query = (
            select(event_quote.c.quote_id, event.c.id, event.c.title)
            .join(event, event.c.id == event_quote.c.event_id)
            .where(event_quote.c.quote_id.in_([r["id"] for r in rows]))
            .order_by(event_quote.c.quote_id, event.c.id)
        )
        for quote_id, event_id, title in connection.execute(query):
            events[quote_id].append({"id": event_id, "title": title})
    return [
        {
            "id": r["id"],
            "text": r["text"],
            "kind": r["kind"],
            "speaker": {"id": r["speaker_id"], "name": r["speaker_name"]} if r["speaker_id"] else None,
            "source": {"id": r["source_id"], "title": r["source_title"]},
            "span": {"start": r["span_start"], "end": r["span_end"]},
            "events": events.get(r["id"], []),
        }
        for r in rows
    ]
