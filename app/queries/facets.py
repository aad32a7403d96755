"""Facets: how the matching events divide by type, actor, country, year..., one GROUP BY each.

Each facet groups the table that holds its values: the event's own columns, or the link
tables (event_actor; event_region and region_ancestor) through their covering indexes.
With no filter that is the whole table or index; with filters only the link rows of the
matching event ids are grouped. Values are labelled after ranking, so only the shown ones
are joined to their names.

A facet is computed at its largest size and remembered by data version and filters
(app/queries/aggregate_cache.py); `facet_size` only cuts what is remembered.
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, Connection, Select, distinct, func, select

from app.queries.aggregate_cache import Remembered, filters_key
from app.queries.aggregates import YearText
from app.queries.event_filters import EventFilters, conditions
from app.tables import actor, event, event_actor, event_region, region, region_ancestor, source

FacetName = Literal[
    "type", "status", "actor", "role", "region", "country", "year", "precision", "source"
]
FACETS: tuple[str, ...] = get_args(FacetName)
MAX_SIZE = 100  # facet_size's upper bound


def _ranked(
    value: ColumnElement[Any],
    events: ColumnElement[int],
    where: list[Any],
    label: ColumnElement[Any] | None = None,
    from_: Any = None,
) -> Select:
    """(value, label, events, distinct_values) of the MAX_SIZE commonest values, most first then by value."""
    label = value if label is None else label
    query = select(
        value.label("value"),
        label.label("label"),
        events.label("events"),
        # Evaluated after GROUP BY and before LIMIT: the number of groups.
        func.count().over().label("distinct_values"),
    )
    if from_ is not None:
        query = query.select_from(from_)
    return query.where(*where).group_by(value, label).order_by(events.desc(), value).limit(MAX_SIZE)


def _named(ranked: Select, names: Any, name: ColumnElement[str]) -> Select:
    """The ranked values labelled with their names, joined for the shown values only."""
    top = ranked.subquery("top")
    return (
        select(top.c.value, name.label("label"), top.c.events, top.c.distinct_values)
        .select_from(top.join(names, names.c.id == top.c.value))
        .order_by(top.c.events.desc(), top.c.value)
    )


def _of_matching(event_id: ColumnElement[str], where: list[Any]) -> list[Any]:
    """A link table's rows of the matching events: all of them when nothing is filtered."""
    return [event_id.in_(select(event.c.id).where(*where))] if where else []


def _query(name: str, where: list[Any]) -> Select:
    """The facet's (value, label, events, distinct_values) rows; `where` is on `event`, empty for all."""
    if name in ("type", "status", "precision"):
        return _ranked(event.c.date_precision if name == "precision" else event.c[name], func.count(), where)
    if name == "year":
        # Only dated events have a year; an undated one is left out, never put in year 1.
        dated = [event.c.start_date.is_not(None), *where]
        return _ranked(YearText(event.c.start_date), func.count(), dated)
    if name == "source":
        return _named(_ranked(event.c.source_id, func.count(), where), source, source.c.title)
    # The link tables are aliased apart from the same tables in the filter subqueries.
    if name in ("actor", "role"):
        involved = event_actor.alias("facet_event_actor")
        kept = _of_matching(involved.c.event_id, where)
        # An event counts once per value, however many roles lead it there.
        events = func.count(distinct(involved.c.event_id))
        if name == "role":
            return _ranked(involved.c.role, events, kept)
        return _named(_ranked(involved.c.actor_id, events, kept), actor, actor.c.name)
    placed = event_region.alias("facet_event_region")
    kept = _of_matching(placed.c.event_id, where)
    if name == "region":
        # (event, region) is event_region's primary key: each row is one more event.
        return _named(_ranked(placed.c.region_id, func.count(), kept), region, region.c.name)
    if name == "country":
        # From each country down the closure table to the regions inside it and their
        # events; an event with two regions in one country counts once.
        ancestry, country = region_ancestor.alias("facet_region_ancestor"), region.alias("facet_country")
        inside = country.join(ancestry, ancestry.c.ancestor_id == country.c.id).join(
            placed, placed.c.region_id == ancestry.c.region_id
        )
        events = func.count(distinct(placed.c.event_id))
        where = [country.c.kind == "country", *kept]
        return _ranked(country.c.iso_code, events, where, label=country.c.name, from_=inside)
    raise ValueError(f"unknown facet {name!r}")


def _every_year(connection: Connection) -> dict:
    """The year facet over every event, from the (start_date, id) index alone: days, summed by year."""
    days = select(event.c.start_date, func.count()).where(event.c.start_date.is_not(None)).group_by(event.c.start_date)
    years: Counter[str] = Counter()
    for day, events in connection.execute(days):
        years[f"{day.year:04d}"] += events
    ranked = sorted(years.items(), key=lambda item: (-item[1], item[0]))[:MAX_SIZE]
    return {"values": [{"value": y, "label": y, "count": n} for y, n in ranked], "distinct": len(years)}


def facet(connection: Connection, name: str, where: list[Any]) -> dict:
    """The MAX_SIZE commonest values of one facet and how many distinct values it has, in one statement."""
    if name == "year" and not where:
        return _every_year(connection)
    rows = connection.execute(_query(name, where)).all()
    return {
        "values": [{"value": value, "label": label, "count": events} for value, label, events, _ in rows],
        "distinct": rows[0].distinct_values if rows else 0,
    }


def facets(connection: Connection, filters: EventFilters, names: Sequence[str], size: int) -> dict:
    """How many events match `filters`, and the `size` commonest values of each facet in `names`."""
    remembered, key = Remembered(connection), filters_key(filters)
    where = conditions(filters)
    total = remembered.get_or_compute(
        ("total", key), lambda: connection.execute(select(func.count()).select_from(event).where(*where)).scalar_one()
    )
    found = {
        name: remembered.get_or_compute(
            ("facet", name, key), lambda name=name: facet(connection, name, where), lambda f: len(f["values"])
        )
        for name in names
    }
    return {
        "total": total,
        "facets": {name: {"values": f["values"][:size], "distinct": f["distinct"]} for name, f in found.items()},
    }
