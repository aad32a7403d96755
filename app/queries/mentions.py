"""Mentions: where an actor or region is named in the sources, with the words around it."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, case, func, literal, or_, select

from app.queries.keyset import SortKey, fetch_page
from app.tables import actor, mention, region, source

# Document order: by source, then where the mention starts (id only breaks ties).
KEYS = [SortKey(mention.c.source_id), SortKey(mention.c.span_start), SortKey(mention.c.id)]

# A sentence longer than this is cut down to a window of about WINDOW characters either
# side of the mention, so a context stays readable whatever the source's punctuation.
MAX_SENTENCE = 240
WINDOW = 80
# A sentence ends after . ! or ? (and any closing quotes or brackets) followed by
# whitespace, or at a line break.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n")
# Paragraph bullets are layout, not words of the sentence.
_LEADING = " \t\r\n►•"


@dataclass(frozen=True)
class MentionFilters:
    """Mentions of one target, narrowed by source and freshness."""

    kind: Literal["actor", "region"]
    target_id: str
    source: list[str] = field(default_factory=list)
    updated_since: datetime | None = None


def _target_column(kind: str) -> Any:
    return mention.c.actor_id if kind == "actor" else mention.c.region_id


def _conditions(filters: MentionFilters) -> list[Any]:
    conditions: list[Any] = [_target_column(filters.kind) == filters.target_id]
    if filters.source:
        conditions.append(mention.c.source_id.in_(filters.source))
    if filters.updated_since is not None:
        # A mention changes only when its source's text or its target's aliases do.
        target = actor if filters.kind == "actor" else region
        since = filters.updated_since
        changed_target = select(target.c.id).where(target.c.id == filters.target_id, target.c.updated_at > since)
        conditions.append(or_(source.c.updated_at > since, changed_target.exists()))
    return conditions


def _from():
    return mention.join(source, source.c.id == mention.c.source_id)


def list_mentions(
    connection: Connection, filters: MentionFilters, *, limit: int, after_values: list[Any] | None
) -> tuple[list[dict], list[Any] | None]:
    """A page of one target's mentions in document order, each with its context."""
    query = (
        select(mention.c.source_id, source.c.title, mention.c.alias, mention.c.span_start, mention.c.span_end)
        .select_from(_from())
        .where(*_conditions(filters))
    )
    rows, next_values = fetch_page(connection, query, KEYS, after_values=after_values, limit=limit)
    texts = _texts(connection, {row["source_id"] for row in rows})
    items = [
        {
            "source": {"id": row["source_id"], "title": row["title"]},
            "alias": row["alias"],
            "span": {"start": row["span_start"], "end": row["span_end"]},
            "context": context(texts[row["source_id"]], row["span_start"], row["span_end"]),
        }
        for row in rows
    ]
    return items, next_values


def count_mentions(connection: Connection, filters: MentionFilters) -> int:
    """How many mentions match `filters`."""
    query = select(func.count()).select_from(_from()).where(*_conditions(filters))
    return connection.execute(query).scalar_one()


def _texts(connection: Connection, source_ids: set[str]) -> dict[str, str]:
    """The texts of the sources on one page: one statement, each text once."""
    if not source_ids:
        return {}
    query = select(source.c.id, source.c.text).where(source.c.id.in_(sorted(source_ids)))
    return {row.id: row.text for row in connection.execute(query)}


def in_source(connection: Connection, source_id: str) -> list[dict]:
    """Every mention in one source, in document order, with what it names."""
    kind = case((mention.c.actor_id.is_not(None), literal("actor")), else_=literal("region"))
    query = (
        select(
            kind.label("type"),
            func.coalesce(actor.c.id, region.c.id).label("id"),
            func.coalesce(actor.c.name, region.c.name).label("name"),
            mention.c.alias,
            mention.c.span_start,
            mention.c.span_end,
        )
        .select_from(
            mention.outerjoin(actor, actor.c.id == mention.c.actor_id)
            .outerjoin(region, region.c.id == mention.c.region_id)
        )
        .where(mention.c.source_id == source_id)
        # Same span (an actor and a region called "Russia"): actor first, then by id.
        .order_by(mention.c.span_start, mention.c.span_end, kind, mention.c.id)
    )
    return [
        {
            "type": row["type"],
            "id": row["id"],
            "name": row["name"],
            "alias": row["alias"],
            "span": {"start": row["span_start"], "end": row["span_end"]},
        }
        for row in connection.execute(query).mappings()
    ]


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding text[start:end], without bullets or padding."""
    begin, finish = 0, len(text)
    for boundary in _SENTENCE_END.finditer(text):
        if boundary.end() <= start:
            begin = boundary.end()
        elif boundary.start() >= end:
            finish = boundary.end() if boundary.group() != "\n" else boundary.start()
            break
    while begin < start and text[begin] in _LEADING:
        begin += 1
    while finish > end and text[finish - 1].isspace():
        finish -= 1
    return begin, finish


def _window(text: str, start: int, end: int, begin: int, finish: int) -> tuple[int, int]:
    """About WINDOW characters either side of the mention, inside the sentence, whole words only."""
    left, right = max(begin, start - WINDOW), min(finish, end + WINDOW)
    if left > begin and not text[left - 1].isspace():
        cut = text.find(" ", left, start)
        left = cut + 1 if cut != -1 else start
    if right < finish and not text[right].isspace():
        cut = text.rfind(" ", end, right)
        right = cut if cut != -1 else end
    return left, right


def context(text: str, start: int, end: int) -> dict:
    """The sentence around text[start:end] (or a window of it) and where the mention starts inside it."""
    begin, finish = _sentence(text, start, end)
    if finish - begin > MAX_SENTENCE:
        begin, finish = _window(text, start, end, begin, finish)
    return {"text": text[begin:finish], "offset": start - begin}
