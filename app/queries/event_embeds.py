"""What an event embeds: actors, regions, figures, quotes, citation, countries and a point.

Each embed is one statement for all the events of a page, whatever the page size. The
statements are built once, with the page's ids bound at execution: building a SELECT and its
cache key costs more than running it on an index, and an event's page runs several.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Select, bindparam, case, select

from app.tables import (
    actor,
    event_actor,
    event_quote,
    event_region,
    figure,
    quote,
    region,
    region_ancestor,
)

DEFAULT = ("actors", "regions", "figures", "quotes", "citation")
EXTRA = ("countries", "point")
ALL = DEFAULT + EXTRA


# The ids of the events of a page, expanded into `IN (...)` at execution.
_IDS = bindparam("ids", expanding=True)


def _grouped(connection: Connection, query: Select, ids: list[str], shape: Callable[[Any], Any]) -> dict[str, list]:
    """Rows (tuples, event id first) shaped and grouped by event."""
    grouped: dict[str, list] = defaultdict(list)
    for row in connection.execute(query, {"ids": ids}):
        grouped[row[0]].append(shape(row))
    return grouped


_ACTORS = (
    select(event_actor.c.event_id, actor.c.id, actor.c.name, event_actor.c.role)
    .join(actor, actor.c.id == event_actor.c.actor_id)
    .where(event_actor.c.event_id.in_(_IDS))
    .order_by(event_actor.c.event_id, event_actor.c.position)
)
_REGIONS = (
    select(event_region.c.event_id, region.c.id, region.c.name)
    .join(region, region.c.id == event_region.c.region_id)
    .where(event_region.c.event_id.in_(_IDS))
    .order_by(event_region.c.event_id, event_region.c.position)
)
_FIGURES = (
    select(figure.c.event_id, figure.c.value, figure.c.unit, figure.c.text, figure.c.span_start, figure.c.span_end)
    .where(figure.c.event_id.in_(_IDS))
    .order_by(figure.c.event_id, figure.c.position)
)
_QUOTES = (
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
    .where(event_quote.c.event_id.in_(_IDS))
    .order_by(event_quote.c.event_id, event_quote.c.position)
)
_SPANS = (
    select(event_quote.c.event_id, quote.c.id, quote.c.span_start, quote.c.span_end)
    .join(event_quote, event_quote.c.quote_id == quote.c.id)
    .where(event_quote.c.event_id.in_(_IDS))
    .order_by(event_quote.c.event_id, event_quote.c.position)
)


def actors_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    return _grouped(connection, _ACTORS, ids, lambda r: {"id": r[1], "name": r[2], "role": r[3]})


def regions_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    return _grouped(connection, _REGIONS, ids, lambda r: {"id": r[1], "name": r[2]})


def figures_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    return _grouped(
        connection, _FIGURES, ids, lambda r: {"value": r[1], "unit": r[2], "text": r[3], "span": {"start": r[4], "end": r[5]}}
    )


def quotes_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    return _grouped(
        connection,
        _QUOTES,
        ids,
        lambda r: {
            "id": r[1],
            "text": r[2],
            "kind": r[3],
            "speaker": {"id": r[6], "name": r[7]} if r[6] else None,
            "span": {"start": r[4], "end": r[5]},
        },
    )


def spans_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    """Evidence spans only, for a citation when the quotes themselves are not embedded."""
    return _grouped(connection, _SPANS, ids, lambda r: {"id": r[1], "span": {"start": r[2], "end": r[3]}})


def citation(row: Any, evidence: list[dict]) -> dict:
    """How to cite the event: its source, and the spans of the source that support it."""
    spans = sorted((q["span"]["start"], q["span"]["end"]) for q in evidence)
    parts = [f"“{row['source_title']}”"]
    if row["source_publisher"]:
        parts.append(row["source_publisher"])
    parts.append(row["source_published_date"].isoformat() if row["source_published_date"] else "n.d.")
    where = ", ".join(f"{start}–{end}" for start, end in spans)
    return {
        "source": {
            "id": row["source_id"],
            "title": row["source_title"],
            "publisher": row["source_publisher"],
            "published_date": row["source_published_date"].isoformat() if row["source_published_date"] else None,
            "url": row["source_url"],
        },
        "spans": [{"start": start, "end": end} for start, end in spans],
        # Machine-coded events (GDELT) cite a source with no evidence spans: say only the source.
        "text": f"{', '.join(parts).rstrip('.')}." + (f" Evidence at characters {where}." if spans else ""),
    }


# How finely a kind of region places an event: the finest located region gives the point.
_FINENESS = {"site": 5, "route": 4, "city": 4, "subdivision": 3, "country": 2, "world_region": 1}
_PLACE = region.alias("place")
_PLACES = (
    select(event_region.c.event_id, _PLACE.c.id, _PLACE.c.kind, _PLACE.c.iso_code, _PLACE.c.lat, _PLACE.c.lon)
    .join(region_ancestor, region_ancestor.c.region_id == event_region.c.region_id)
    .join(_PLACE, _PLACE.c.id == region_ancestor.c.ancestor_id)
    .where(event_region.c.event_id.in_(_IDS))
    .order_by(
        event_region.c.event_id,
        case(_FINENESS, value=_PLACE.c.kind, else_=0).desc(),
        event_region.c.position,
        region_ancestor.c.depth,
    )
)


def places_of(connection: Connection, ids: list[str]) -> tuple[dict[str, list], dict[str, dict]]:
    """Per event: the ISO codes of its countries, and the point of its most precise located region.

    A region without coordinates lends its nearest located ancestor's; among an event's
    regions the finest kind wins (a site over a city over a country), then the one coded first.
    """
    countries: dict[str, list] = defaultdict(list)
    points: dict[str, dict] = {}
    for event_id, place_id, kind, iso_code, lat, lon in connection.execute(_PLACES, {"ids": ids}):
        if kind == "country" and iso_code not in countries[event_id]:
            countries[event_id].append(iso_code)
        if lat is not None and event_id not in points:
            points[event_id] = {"lon": lon, "lat": lat, "region": {"id": place_id, "kind": kind}}
    return countries, points
