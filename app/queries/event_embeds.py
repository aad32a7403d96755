"""What an event embeds: actors, regions, figures, quotes, citation, countries and a point.

Each embed is one statement for all the events of a page, whatever the page size.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Select, case, select

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


def _grouped(connection: Connection, query: Select, shape: Callable[[Any], Any]) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for row in connection.execute(query).mappings():
        grouped[row["event_id"]].append(shape(row))
    return grouped


def actors_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    query = (
        select(event_actor.c.event_id, actor.c.id, actor.c.name, event_actor.c.role)
        .join(actor, actor.c.id == event_actor.c.actor_id)
        .where(event_actor.c.event_id.in_(ids))
        .order_by(event_actor.c.event_id, event_actor.c.position)
    )
    return _grouped(connection, query, lambda r: {"id": r["id"], "name": r["name"], "role": r["role"]})


def regions_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    query = (
        select(event_region.c.event_id, region.c.id, region.c.name)
        .join(region, region.c.id == event_region.c.region_id)
        .where(event_region.c.event_id.in_(ids))
        .order_by(event_region.c.event_id, event_region.c.position)
    )
    return _grouped(connection, query, lambda r: {"id": r["id"], "name": r["name"]})


def figures_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    query = select(figure).where(figure.c.event_id.in_(ids)).order_by(figure.c.event_id, figure.c.position)
    return _grouped(
        connection,
        query,
        lambda r: {
            "value": r["value"],
            "unit": r["unit"],
            "text": r["text"],
            "span": {"start": r["span_start"], "end": r["span_end"]},
        },
    )


def quotes_of(connection: Connection, ids: list[str]) -> dict[str, list]:
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
        lambda r: {
            "id": r["id"],
            "text": r["text"],
            "kind": r["kind"],
            "speaker": {"id": r["speaker_id"], "name": r["speaker_name"]} if r["speaker_id"] else None,
            "span": {"start": r["span_start"], "end": r["span_end"]},
        },
    )


def spans_of(connection: Connection, ids: list[str]) -> dict[str, list]:
    """Evidence spans only, for a citation when the quotes themselves are not embedded."""
    query = (
        select(event_quote.c.event_id, quote.c.id, quote.c.span_start, quote.c.span_end)
        .join(event_quote, event_quote.c.quote_id == quote.c.id)
        .where(event_quote.c.event_id.in_(ids))
        .order_by(event_quote.c.event_id, event_quote.c.position)
    )
    return _grouped(connection, query, lambda r: {"id": r["id"], "span": {"start": r["span_start"], "end": r["span_end"]}})


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


def places_of(connection: Connection, ids: list[str]) -> tuple[dict[str, list], dict[str, dict]]:
    """Per event: the ISO codes of its countries, and the point of its most precise located region.

    A region without coordinates lends its nearest located ancestor's; among an event's
    regions the finest kind wins (a site over a city over a country), then the one coded first.
    """
    place = region.alias("place")
    fineness = case(_FINENESS, value=place.c.kind, else_=0)
    query = (
        select(
            event_region.c.event_id,
            place.c.id,
            place.c.kind,
            place.c.iso_code,
            place.c.lat,
            place.c.lon,
        )
        .join(region_ancestor, region_ancestor.c.region_id == event_region.c.region_id)
        .join(place, place.c.id == region_ancestor.c.ancestor_id)
        .where(event_region.c.event_id.in_(ids))
        .order_by(event_region.c.event_id, fineness.desc(), event_region.c.position, region_ancestor.c.depth)
    )
    countries: dict[str, list] = defaultdict(list)
    points: dict[str, dict] = {}
    for row in connection.execute(query).mappings():
        event_id = row["event_id"]
        if row["kind"] == "country" and row["iso_code"] not in countries[event_id]:
            countries[event_id].append(row["iso_code"])
        if row["lat"] is not None and event_id not in points:
            points[event_id] = {"lon": row["lon"], "lat": row["lat"], "region": {"id": row["id"], "kind": row["kind"]}}
    return countries, points
