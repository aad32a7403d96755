"""Actors: lists and details with their aliases and affiliation."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from app.queries import fulltext
from app.queries.keyset import Sortable, SortError, SortKey, fetch_page, parse_sort
from app.tables import actor, actor_alias

# What each `sort` value means; relevance ties go by name.
SORTS = {"name": "name", "-name": "-name", "relevance": "relevance,name"}
_affiliate = actor.alias("affiliate")


def sort_keys(sort: str, q: str | None) -> list[SortKey]:
    """Keys for `sort` (a key of SORTS); `relevance` needs a search."""
    fields = {"name": Sortable(actor.c.name)}
    if q:
        fields["relevance"] = Sortable(fulltext.relevance("actor", actor.c.id, q), best_first=True)
    elif sort == "relevance":
        raise SortError("sorting by relevance needs a search: add q")
    return parse_sort(SORTS[sort], fields, actor.c.id)


def _base():
    return select(actor, _affiliate.c.name.label("affiliation_name")).outerjoin(
        _affiliate, _affiliate.c.id == actor.c.affiliation_id
    )


def _conditions(kind: list[str], q: str | None, updated_since: datetime | None = None) -> list[Any]:
    conditions: list[Any] = []
    if kind:
        conditions.append(actor.c.kind.in_(kind))
    if q:
        conditions.append(fulltext.matches("actor", actor.c.id, q))
    if updated_since is not None:
        conditions.append(actor.c.updated_at > updated_since)
    return conditions


def list_actors(
    connection: Connection,
    *,
    kind: list[str],
    q: str | None,
    updated_since: datetime | None = None,
    keys: list[SortKey],
    limit: int,
    after_values: list[Any] | None,
) -> tuple[list[dict], list[Any] | None]:
    """A page of actors in `keys` order; with `q`, each says where it matched (`match`)."""
    query = _base().where(*_conditions(kind, q, updated_since))
    rows, next_values = fetch_page(connection, query, keys, after_values=after_values, limit=limit)
    items = _shaped(connection, rows)
    if q:
        found = fulltext.highlights(connection, "actor", [item["id"] for item in items], q)
        for item in items:
            item["match"] = found.get(item["id"])
    return items, next_values


def count_actors(connection: Connection, *, kind: list[str], q: str | None, updated_since: datetime | None = None) -> int:
    """How many actors match."""
    conditions = _conditions(kind, q, updated_since)
    return connection.execute(select(func.count()).select_from(actor).where(*conditions)).scalar_one()


def exists(connection: Connection, actor_id: str) -> bool:
    """Whether an actor with this id exists."""
    return connection.execute(select(actor.c.id).where(actor.c.id == actor_id)).first() is not None


def get_actor(connection: Connection, actor_id: str) -> dict | None:
    """One actor, or None."""
    rows = list(connection.execute(_base().where(actor.c.id == actor_id)).mappings())
    return _shaped(connection, rows)[0] if rows else None


def _shaped(connection: Connection, rows: list[RowMapping]) -> list[dict]:
    aliases: dict[str, list[str]] = defaultdict(list)
    if rows:
        query = (
            select(actor_alias.c.actor_id, actor_alias.c.alias)
            .where(actor_alias.c.actor_id.in_([r["id"] for r in rows]))
            .order_by(actor_alias.c.actor_id, actor_alias.c.position)
        )
        for actor_id, alias in connection.execute(query):
            aliases[actor_id].append(alias)
    return [
        {
            "id": r["id"],
            "name": r["name"],
            "kind": r["kind"],
            "aliases": aliases.get(r["id"], []),
            "description": r["description"],
            "affiliation": {"id": r["affiliation_id"], "name": r["affiliation_name"]} if r["affiliation_id"] else None,
        }
        for r in rows
    ]
