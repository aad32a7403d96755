"""An actor's co-occurrence network: who appears in the matching events with it, and together."""

from collections import defaultdict
from itertools import combinations

from sqlalchemy import Connection, select

from app.queries.aggregate_cache import Remembered, filters_key
from app.queries.event_filters import EventFilters, conditions
from app.tables import actor, event, event_actor


def _ranked(events_of: dict, shape) -> list[dict]:  # type: ignore[no-untyped-def]
    """Most shared events first, then by key; each with its sorted event ids."""
    ranked = sorted(events_of.items(), key=lambda item: (-len(item[1]), item[0]))
    return [shape(key, sorted(ids)) for key, ids in ranked]


def network(connection: Connection, actor_id: str, filters: EventFilters) -> dict | None:
    """The actor's matching events and its co-actors, with co-actor pairs as edges; None if no such actor.

    Two statements whatever the size (none when the data version and filters were seen
    before): the actor, and every (actor, event) pair of its matching events.
    """
    return Remembered(connection).get_or_compute(
        ("network", actor_id, filters_key(filters)), lambda: _network(connection, actor_id, filters), _weight
    )


def _weight(found: dict | None) -> int:
    if found is None:
        return 1
    return sum(len(item["events"]) for item in [found["actor"], *found["nodes"], *found["edges"]])


def _network(connection: Connection, actor_id: str, filters: EventFilters) -> dict | None:
    center = (
        connection.execute(select(actor.c.id, actor.c.name, actor.c.kind).where(actor.c.id == actor_id))
        .mappings()
        .first()
    )
    if center is None:
        return None
    # From the actor's own rows in the (actor_id, event_id) index to everyone in those
    # events; the event row is read only to apply filters. Aliased apart from the same
    # tables in the filter subqueries.
    own, involved = event_actor.alias("network_own"), event_actor.alias("network_involved")
    who = actor.alias("network_actor")
    joined = own.join(involved, involved.c.event_id == own.c.event_id).join(who, who.c.id == involved.c.actor_id)
    where = conditions(filters)
    if where:
        joined = joined.join(event, event.c.id == own.c.event_id)
    pairs = (
        select(who.c.id, who.c.name, who.c.kind, involved.c.event_id)
        .select_from(joined)
        .where(own.c.actor_id == actor_id, *where)
    )
    actors: dict[str, dict] = {}
    # Sets: an actor with two roles in one event still shares that event once.
    events_of: dict[str, set[str]] = defaultdict(set)
    actors_in: dict[str, set[str]] = defaultdict(set)
    for who_id, name, kind, event_id in connection.execute(pairs):
        actors[who_id] = {"id": who_id, "name": name, "kind": kind}
        events_of[who_id].add(event_id)
        if who_id != actor_id:
            actors_in[event_id].add(who_id)
    own_events = events_of.pop(actor_id, set())
    edges_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event_id, others in actors_in.items():
        for pair in combinations(sorted(others), 2):
            edges_of[pair].add(event_id)

    return {
        "actor": {
            "id": center["id"],
            "name": center["name"],
            "kind": center["kind"],
            "count": len(own_events),
            "events": sorted(own_events),
        },
        "nodes": _ranked(
            events_of, lambda key, ids: {**actors[key], "count": len(ids), "events": ids}
        ),
        "edges": _ranked(
            edges_of, lambda key, ids: {"actors": list(key), "count": len(ids), "events": ids}
        ),
    }
