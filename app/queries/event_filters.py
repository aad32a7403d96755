"""What events can be narrowed and sorted by, as SQL conditions and sort keys."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, Subquery, and_, case, exists, func, literal, select

from app.coding.vocabulary import DatePrecision
from app.queries import fulltext
from app.queries.keyset import Sortable, SortError, SortKey, parse_sort
from app.tables import actor, event, event_actor, event_region, region, region_ancestor

# The subquery fulltext.ranked() makes for events (its name).
RANKED_EVENTS = "ranked_event"
_OPEN_END = literal(date(9999, 12, 31), Date)
# Finest first: precision=month keeps day- and month-precision events.
PRECISION_ORDER = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]


@dataclass(frozen=True)
class EventFilters:
    """What a client may narrow events by; a list means any of its values."""

    actor: list[str] = field(default_factory=list)
    affiliated: bool = False
    role: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    type: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    date_match: str = "overlaps"
    precision: str | None = None
    q: str | None = None
    updated_since: datetime | None = None
    # Set by /actors/{id}/events and /regions/{id}/events: ANDed with the lists above.
    scope_actor: str | None = None
    scope_region: str | None = None


def _affiliates_of(actor_ids: list[str]) -> Any:
    """The actors and everyone affiliated with them, however indirectly (a recursive CTE)."""
    tree = select(actor.c.id).where(actor.c.id.in_(actor_ids)).cte("affiliates", recursive=True)
    member = actor.alias("member")
    tree = tree.union(select(member.c.id).where(member.c.affiliation_id == tree.c.id))
    return select(tree.c.id)


# Each actor or place filter is `event.id IN (SELECT event_id ...)` over a link table's index:
# the engine reads the matching ids once, where a correlated EXISTS would probe the link
# table for every event it walks (seconds on a million events for a rare actor). When the
# filter matches a large share of the events, walking the sort order's index and probing
# each event is cheaper than reading every match and sorting them: `walk=True` asks for that
# form (app/queries/event_access.py decides).


@dataclass(frozen=True)
class Link:
    """An actor or place filter in both forms."""

    # SELECT event_id FROM <link table> WHERE ...: the matching events, read from the link's index.
    matches: Any
    # EXISTS (...) correlated with event.id: one event probed through the link table's primary key.
    probe: Any

    def condition(self, walk: bool) -> Any:
        return self.probe if walk else event.c.id.in_(self.matches)


def _link(link_event_id: Any, where: list[Any]) -> Link:
    return Link(select(link_event_id).where(*where), exists().where(link_event_id == event.c.id, *where))


def _involves(actor_ids: list[str] | Any, roles: list[str]) -> Link:
    where = [event_actor.c.actor_id.in_(actor_ids)]
    if roles:
        where.append(event_actor.c.role.in_(roles))
    return _link(event_actor.c.event_id, where)


def _in_regions(region_ids: Any) -> Link:
    # The closure table makes "in this region or anywhere inside it" one join.
    inside = select(region_ancestor.c.region_id).where(region_ancestor.c.ancestor_id.in_(region_ids))
    matches = select(event_region.c.event_id).where(event_region.c.region_id.in_(inside))
    # The probe starts from the event's few regions and looks each up among the ancestors:
    # `region_id IN (regions inside)` there would make SQLite try every region inside instead.
    placed = event_region.join(region_ancestor, region_ancestor.c.region_id == event_region.c.region_id)
    probe = (
        exists()
        .select_from(placed)
        .where(event_region.c.event_id == event.c.id, region_ancestor.c.ancestor_id.in_(region_ids))
    )
    return Link(matches, probe)


def _in_countries(codes: list[str]) -> Link:
    return _in_regions(select(region.c.id).where(region.c.kind == "country", region.c.iso_code.in_(codes)))


def links(filters: EventFilters) -> list[Link]:
    """The filters that go through a link table (actors, roles, places), in both forms."""
    found: list[Link] = []
    if filters.actor:
        ids = _affiliates_of(filters.actor) if filters.affiliated else filters.actor
        found.append(_involves(ids, filters.role))
    elif filters.role:
        found.append(_link(event_actor.c.event_id, [event_actor.c.role.in_(filters.role)]))
    if filters.scope_actor:
        found.append(_involves([filters.scope_actor], []))
    if filters.region:
        found.append(_in_regions(filters.region))
    if filters.scope_region:
        found.append(_in_regions([filters.scope_region]))
    if filters.country:
        found.append(_in_countries(filters.country))
    return found


def _in_bbox(bbox: tuple[float, float, float, float]) -> Any:
    min_lon, min_lat, max_lon, max_lat = bbox
    # A box crossing the antimeridian (min_lon > max_lon) wraps around it (RFC 7946, 5.2).
    lon_ok = (
        region.c.lon.between(min_lon, max_lon)
        if min_lon <= max_lon
        else (region.c.lon >= min_lon) | (region.c.lon <= max_lon)
    )
    placed = select(region.c.id).where(region.c.lat.between(min_lat, max_lat), lon_ok)
    return event.c.id.in_(select(event_region.c.event_id).where(event_region.c.region_id.in_(placed)))


def _dates(filters: EventFilters) -> list[Any]:
    # Undated events (start NULL) never match a date filter; an open-ended ongoing event
    # reaches to the end of time. "overlaps" keeps events whose covered days touch the
    # range, "within" only those whose covered days lie wholly inside it.
    conditions: list[Any] = []
    if filters.date_from is None and filters.date_to is None:
        return conditions
    conditions.append(event.c.start_date.is_not(None))
    end = func.coalesce(event.c.end_date, _OPEN_END)
    if filters.date_match == "within":
        if filters.date_from is not None:
            conditions.append(event.c.start_date >= filters.date_from)
        if filters.date_to is not None:
            # Implied by the end bound, but it bounds the start_date index range too.
            conditions += [event.c.start_date <= filters.date_to, end <= filters.date_to]
    else:
        if filters.date_from is not None:
            conditions.append(end >= filters.date_from)
        if filters.date_to is not None:
            conditions.append(event.c.start_date <= filters.date_to)
    return conditions


def conditions(filters: EventFilters, walk: bool = False) -> list[ColumnElement[bool]]:
    """SQL conditions on the `event` table for `filters` (combine with AND).

    `walk`: the actor and place filters probe each event the engine walks instead of
    reading their matches first (for broad filters on an index-ordered page).
    """
    found: list[Any] = [link.condition(walk) for link in links(filters)]
    if filters.bbox is not None:
        found.append(_in_bbox(filters.bbox))
    if filters.type:
        found.append(event.c.type.in_(filters.type))
    if filters.status:
        found.append(event.c.status.in_(filters.status))
    if filters.source:
        found.append(event.c.source_id.in_(filters.source))
    found += _dates(filters)
    if filters.precision is not None:
        allowed = PRECISION_ORDER[: PRECISION_ORDER.index(DatePrecision(filters.precision)) + 1]
        found.append(event.c.date_precision.in_([p.value for p in allowed]))
    if filters.q:
        found.append(fulltext.matches("event", event.c.id, filters.q))
    if filters.updated_since is not None:
        found.append(event.c.updated_at > filters.updated_since)
    return [and_(*found)] if found else []


def ranked_hits(keys: Sequence[SortKey]) -> Subquery | None:
    """The scored search hits a relevance sort key reads, which the page must join (or None).

    The key carries the very subquery it orders by, so the page joins that same FROM and
    each hit is scored once, never once per row.
    """
    for key in keys:
        table = getattr(key.expression, "table", None)
        if isinstance(table, Subquery) and table.name == RANKED_EVENTS:
            return table
    return None


_known_end = case((event.c.start_date.is_(None), None), else_=func.coalesce(event.c.end_date, _OPEN_END))


def sortable(q: str | None) -> dict[str, Sortable]:
    """The fields events can be sorted on; `relevance` only when there is a search."""
    fields = {
        "date": Sortable(event.c.start_date, nullable=True, null_fill=date(1, 1, 1), decode=date.fromisoformat),
        # An ongoing event with no known end ends at the end of time; only undated events have no end.
        "end": Sortable(_known_end, nullable=True, null_fill=date(1, 1, 1), decode=date.fromisoformat),
        "title": Sortable(event.c.title),
        "type": Sortable(event.c.type),
        "status": Sortable(event.c.status),
        "id": Sortable(event.c.id),
        "updated": Sortable(event.c.updated_at, decode=datetime.fromisoformat),
    }
    if q:
        fields["relevance"] = Sortable(fulltext.ranked("event", q).c.score, best_first=True)
    return fields


def sort_keys(sort: str, q: str | None = None) -> list[SortKey]:
    """Keys for a sort spec such as `-date,title`; undated events last either way, id breaks ties."""
    if not q and "relevance" in sort.replace("-", "").split(","):
        raise SortError("sorting by relevance needs a search: add q")
    return parse_sort(sort, sortable(q), event.c.id)
