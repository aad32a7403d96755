"""Full-text search over events, quotes, actors and regions.

This is the interface every list and the search endpoint use. The implementation here is
plain word matching; the indexed implementation (SQLite FTS5, PostgreSQL tsvector)
replaces the bodies without changing the signatures.
"""

from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, literal, select

from app.queries.text import contains_words
from app.tables import actor, actor_alias, event, quote, region, region_alias

Kind = Literal["event", "quote", "actor", "region"]


class SearchSyntaxError(ValueError):
    """`q` cannot be parsed as a search; the API answers 400 with this message."""


def _matching_ids(kind: Kind, q: str) -> Any:
    if kind == "event":
        return select(event.c.id).where(contains_words([event.c.title, event.c.summary], q))
    if kind == "quote":
        return select(quote.c.id).where(contains_words([quote.c.text], q))
    if kind == "actor":
        aliases = select(actor_alias.c.actor_id).where(contains_words([actor_alias.c.alias], q))
        return select(actor.c.id).where(contains_words([actor.c.name], q) | actor.c.id.in_(aliases))
    aliases = select(region_alias.c.region_id).where(contains_words([region_alias.c.alias], q))
    return select(region.c.id).where(contains_words([region.c.name], q) | region.c.id.in_(aliases))


def matches(kind: Kind, id_column: ColumnElement[Any], q: str) -> ColumnElement[bool]:
    """Condition: the record whose id is `id_column` matches the search `q`."""
    return id_column.in_(_matching_ids(kind, q))


def relevance(kind: Kind, id_column: ColumnElement[Any], q: str) -> ColumnElement[float]:
    """How well the record matches `q`: higher is better, never NULL for a matching record."""
    return literal(0.0)


def highlights(connection: Connection, kind: Kind, ids: list[str], q: str) -> dict[str, dict]:
    """For each id, where `q` matched: {"field", "snippet", "offsets": [[start, end], ...]}."""
    return {}
