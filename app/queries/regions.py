"""Regions: lists and details with aliases, parent and the path from the top of the hierarchy."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from app.queries import fulltext
from app.queries.keyset import Sortable, SortError, SortKey, fetch_page, parse_sort
from app.tables import region, region_alias, region_ancestor

# What each `sort` value means; relevance ties go by name.
SORTS = {"name": "name", "-name": "-name", "relevance": "relevance,name"}
_parent = region.alias("parent")


def sort_keys(sort: str, q: str | None) -> list[SortKey]:
    """Keys for `sort` (a key of SORTS); `relevance` needs a search."""
    fields = {"name": Sortable(region.c.name)}
    if q:
        fields["relevance"] = Sortable(fulltext.relevance("region", region.c.id, q), best_first=True)
    elif sort == "relevance":
        raise SortError("sorting by relevance needs a search: add q")
    return parse_sort(SORTS[sort], fields, region.c.id)


def _base():
    return select(region, _parent.c.name.label("parent_name")).outerjoin(_parent, _parent.c.id == region.c.parent_id)


def _conditions(
    kind: list[str], parent: list[str], within: list[str], q: str | None, updated_since: datetime | None = None
) -> list[Any]:
    conditions: list[Any] = []
    if kind:
        conditions.append(region.c.kind.in_(kind))
    if parent:
        conditions.append(region.c.parent_id.in_(parent))
    if within:
        inside = select(region_ancestor.c.region_id).where(
            region_ancestor.c.ancestor_id.in_(within), region_ancestor.c.depth > 0
        )
        conditions.append(region.c.id.in_(inside))
    if q:
        conditions.append(fulltext.matches("region", region.c.id, q))
    if updated_since is not None:
        conditions.append(region.c.updated_at > updated_since)
    return conditions


def list_regions(
    connection: Connection,
    *,
    kind: list[str],
    parent: list[str],
    within: list[str],
    q: str | None,
    updated_since: datetime | None = None,
    keys: list[SortKey],
    limit: int,
    after_values: list[Any] | None,
) -> tuple[list[dict], list[Any] | None]:
    """A page of regions in `keys` order; with `q`, each says where it matched (`match`)."""
    query = _base().where(*_conditions(kind, parent, within, q, updated_since))
    rows, next_values = fetch_page(connection, query, keys, after_values=after_values, limit=limit)
    items = _shaped(connection, rows)
    if q:
        found = fulltext.highlights(connection, "region", [item["id"] for item in items], q)
        for item in items:
            item["match"] = found.get(item["id"])
    return items, next_values


def count_regions(
    connection: Connection,
    *,
    kind: list[str],
    parent: list[str],
    within: list[str],
    q: str | None,
    updated_since: datetime | None = None,
) -> int:
    """How many regions match."""
    conditions = _conditions(kind, parent, within, q, updated_since)
    return connection.execute(select(func.count()).select_from(region).where(*conditions)).scalar_one()


def exists(connection: Connection, region_id: str) -> bool:
    """Whether a region with this id exists."""
    return connection.execute(select(region.c.id).where(region.c.id == region_id)).first() is not None


def get_region(connection: Connection, region_id: str) -> dict | None:
    """One region with the regions directly inside it, or None."""
    rows = list(connection.execute(_base().where(region.c.id == region_id)).mappings())
    if not rows:
        return None
    (item,) = _shaped(connection, rows)
    children = select(region.c.id, region.c.name).where(region.c.parent_id == region_id).order_by(region.c.name)
    item["children"] = [{"id": i, "name": n} for i, n in connection.execute(children)]
    return item


def _shaped(connection: Connection, rows: list[RowMapping]) -> list[dict]:
    ids = [r["id"] for r in rows]
    aliases: dict[str, list[str]] = defaultdict(list)
    paths: dict[str, list[dict]] = defaultdict(list)
    if ids:
        alias_query = (
            select(region_alias.c.region_id, region_alias.c.alias)
            .where(region_alias.c.region_id.in_(ids))
            .order_by(region_alias.c.region_id, region_alias.c.position)
        )
        for region_id, alias in connection.execute(alias_query):
            aliases[region_id].append(alias)
        ancestor = region.alias("ancestor")
        path_query = (
            select(region_ancestor.c.region_id, ancestor.c.id, ancestor.c.name)
            .join(ancestor, ancestor.c.id == region_ancestor.c.ancestor_id)
            .where(region_ancestor.c.region_id.in_(ids), region_ancestor.c.depth > 0)
            .order_by(region_ancestor.c.region_id, region_ancestor.c.depth.desc())
        )
        for region_id, ancestor_id, name in connection.execute(path_query):
            paths[region_id].append({"id": ancestor_id, "name": name})
    return [
        {
            "id": r["id"],
            "name": r["name"],
            "kind": r["kind"],
            "iso_code": r["iso_code"],
            "aliases": aliases.get(r["id"], []),
            "description": r["description"],
            "parent": {"id": r["parent_id"], "name": r["parent_name"]} if r["parent_id"] else None,
            "path": paths.get(r["id"], []),
            "lat": r["lat"],
            "lon": r["lon"],
        }
        for r in rows
    ]
