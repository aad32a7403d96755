"""Facets: how the matching events divide by type, actor, country, year..., one GROUP BY each."""

from collections.abc import Sequence
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, Connection, FromClause, Subquery, distinct, func, select

from app.queries.aggregates import YearText, matching_events
from app.queries.events import EventFilters
from app.tables import actor, event_actor, event_region, region, region_ancestor, source

FacetName = Literal[
    "type", "status", "actor", "role", "region", "country", "year", "precision", "source"
]
FACETS: tuple[str, ...] = get_args(FacetName)


def _grouping(
    name: str, matching: Subquery
) -> tuple[ColumnElement[Any], ColumnElement[Any], FromClause, list[Any]]:
    """(value, label, FROM, conditions) of one facet over the matching events."""
    m = matching.c
    if name in ("type", "status", "precision"):
        column = m.date_precision if name == "precision" else m[name]
        return column, column, matching, []
    if name == "year":
        # Only dated events have a year; an undated one is left out, never put in year 1.
        year = YearText(m.start_date)
        return year, year, matching, [m.start_date.is_not(None)]
    if name == "source":
        return source.c.id, source.c.title, matching.join(source, source.c.id == m.source_id), []
    # Aliased apart from the same tables in the filter subqueries inside `matching`.
    involved = event_actor.alias("facet_event_actor")
    if name == "role":
        return (
            involved.c.role,
            involved.c.role,
            matching.join(involved, involved.c.event_id == m.id),
            [],
        )
    if name == "actor":
        who = actor.alias("facet_actor")
        joined = matching.join(involved, involved.c.event_id == m.id).join(
            who, who.c.id == involved.c.actor_id
        )
        return who.c.id, who.c.name, joined, []
    placed = event_region.alias("facet_event_region")
    place = region.alias("facet_region")
    if name == "region":
        joined = matching.join(placed, placed.c.event_id == m.id).join(
            place, place.c.id == placed.c.region_id
        )
        return place.c.id, place.c.name, joined, []
    if name == "country":
        # The closure table reaches the country above each of the event's own regions.
        ancestry = region_ancestor.alias("facet_region_ancestor")
        joined = (
            matching.join(placed, placed.c.event_id == m.id)
            .join(ancestry, ancestry.c.region_id == placed.c.region_id)
            .join(place, place.c.id == ancestry.c.ancestor_id)
        )
        return place.c.iso_code, place.c.name, joined, [place.c.kind == "country"]
    raise ValueError(f"unknown facet {name!r}")


def facet(connection: Connection, name: str, matching: Subquery, size: int) -> dict:
    """The `size` commonest values of one facet and how many distinct values it has, in one statement."""
    value, label, from_clause, where = _grouping(name, matching)
    # An event counts once per value, however many roles or regions lead it there.
    events = func.count(distinct(matching.c.id))
    query = (
        select(
            value.label("value"),
            label.label("label"),
            events.label("event_count"),
            # Evaluated after GROUP BY and before LIMIT: the number of groups.
            func.count().over().label("distinct_values"),
        )
        .select_from(from_clause)
        .where(*where)
        .group_by(value, label)
        .order_by(events.desc(), value)
        .limit(size)
    )
    rows = connection.execute(query).mappings().all()
    return {
        "values": [
            {"value": r["value"], "label": r["label"], "count": r["event_count"]} for r in rows
        ],
        "distinct": rows[0]["distinct_values"] if rows else 0,
    }


def facets(connection: Connection, filters: EventFilters, names: Sequence[str], size: int) -> dict:
    """How many events match `filters`, and each facet in `names` over them."""
    matching = matching_events(filters)
    total = connection.execute(select(func.count()).select_from(matching)).scalar_one()
    return {
        "total": total,
        "facets": {name: facet(connection, name, matching, size) for name in names},
    }
