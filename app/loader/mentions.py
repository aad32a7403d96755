"""Finds where each actor and region is named in each source, by its aliases.

A match is word-bounded (it must not continue a word on either side, so "Russia" is not
found in "Russian" but is in "Russia’s") and case-sensitive (the alias "US" never matches
"us"). Where aliases of one target overlap, the longest wins; different targets never
compete, so an actor and a region sharing the alias "Russia" both get their mention.
Offsets are Python code points into `source.text`, like every other span.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from app.loader.changes import Changes
from app.tables import actor_alias, mention, region_alias, source

_WORD = re.compile(r"\w")

Target = tuple[str, str]  # ("actor" | "region", id)


@dataclass(frozen=True, order=True)
class Found:
    """One mention: where it starts and ends, which target, by which alias."""

    start: int
    end: int
    kind: str
    target_id: str
    alias: str


def _is_word(char: str) -> bool:
    return bool(_WORD.match(char))


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] does not continue a word on either side."""
    # Only an alias edge that is itself a word character can continue a word.
    left_ok = start == 0 or not (_is_word(text[start]) and _is_word(text[start - 1]))
    right_ok = end == len(text) or not (_is_word(text[end - 1]) and _is_word(text[end]))
    return left_ok and right_ok


def _occurrences(text: str, alias: str) -> Iterable[tuple[int, int]]:
    """Every word-bounded occurrence of `alias`, overlapping ones included."""
    start = text.find(alias)
    while start != -1:
        end = start + len(alias)
        if _bounded(text, start, end):
            yield start, end
        start = text.find(alias, start + 1)


def find_mentions(text: str, aliases: dict[Target, list[str]]) -> list[Found]:
    """The mentions of every target in `text`, in document order."""
    found: list[Found] = []
    for (kind, target_id), names in aliases.items():
        candidates = [(start, end, name) for name in set(names) if name for start, end in _occurrences(text, name)]
        # Longest first (then leftmost): a shorter alias inside a longer one of the same
        # target ("Anton Siluanov" in "Finance Minister Anton Siluanov") is not a mention.
        candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
        taken: list[tuple[int, int]] = []
        for start, end, name in candidates:
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                found.append(Found(start, end, kind, target_id, name))
    return sorted(found)


def _aliases(connection: Connection) -> dict[Target, list[str]]:
    aliases: dict[Target, list[str]] = {}
    for row in connection.execute(select(actor_alias.c.actor_id, actor_alias.c.alias)):
        aliases.setdefault(("actor", row.actor_id), []).append(row.alias)
    for row in connection.execute(select(region_alias.c.region_id, region_alias.c.alias)):
        aliases.setdefault(("region", row.region_id), []).append(row.alias)
    return aliases


def refresh(connection: Connection, changes: Changes) -> None:
    """Recompute the mentions of every source whose text or whose coded names changed."""
    names_changed = bool(changes.ids("actor", "created", "updated") or changes.ids("region", "created", "updated"))
    # New or changed aliases can appear in any source; otherwise only changed sources.
    source_ids = None if names_changed else changes.ids("source", "created", "updated")
    if source_ids == []:
        return
    texts = select(source.c.id, source.c.text)
    stale = delete(mention)
    if source_ids is not None:
        texts = texts.where(source.c.id.in_(source_ids))
        stale = stale.where(mention.c.source_id.in_(source_ids))
    connection.execute(stale)
    aliases = _aliases(connection)
    rows = [
        {
            "source_id": row.id,
            "actor_id": found.target_id if found.kind == "actor" else None,
            "region_id": found.target_id if found.kind == "region" else None,
            "alias": found.alias,
            "span_start": found.start,
            "span_end": found.end,
        }
        for row in connection.execute(texts)
        for found in find_mentions(row.text, aliases)
    ]
    if rows:
        connection.execute(insert(mention), rows)
