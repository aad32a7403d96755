"""An actor's co-occurrence network: who appears in the matching events with it, and together."""

from collections import defaultdict
from dataclasses import replace

from sqlalchemy import Connection, and_, select

from app.queries.aggregates import matching_events
from app.queries.events import EventFilters
from app.tables import actor, event_actor


def _ranked(events_of: dict, shape) -> list[dict]:  # type: ignore[no-untyped-def]
    """Most shared events first, then by key; each with its sorted event ids."""
    ranked = sorted(events_of.items(), key=lambda item: (-len(item[1]), item[0]))
    return [shape(key, sorted(ids)) for key, ids in ranked]


def network(connection: Connection, actor_id: str, filters: EventFilters) -> dict | None:
    """The actor's matching events and its co-actors, with co-actor pairs as edges; None if no such actor.

    Three statements whatever the size: the actor, every (actor, event) pair of its
    matching events, and every pair of co-actors sharing one of those events.
    """
    center = (
        connection.execute(
            select(actor.c.id, actor.c.name, actor.c.kind).where(actor.c.id == actor_id)
        )
        .mappings()
        .first()
    )
    if center is None:
        return None
    matching = matching_events(replace(filters, scope_actor=actor_id))

    # Aliased apart from the same tables in the filter subqueries inside `matching`.
    involved, who = event_actor.alias("network_event_actor"), actor.alias("network_actor")
    # DISTINCT: an actor with two roles in one event still shares that event once.
    pairs = (
        select(who.c.id, who.c.name, who.c.kind, involved.c.event_id)
        .distinct()
        .select_from(
            matching.join(involved, involved.c.event_id == matching.c.id).join(
                who, who.c.id == involved.c.actor_id
            )
        )
    )
    actors: dict[str, dict] = {}
    events_of: dict[str, set[str]] = defaultdict(set)
    for row in connection.execute(pairs).mappings():
        actors[row["id"]] = {"id": row["id"], "name": row["name"], "kind": row["kind"]}
        events_of[row["id"]].add(row["event_id"])
    own_events = events_of.pop(actor_id, set())

    one, other = event_actor.alias("edge_one"), event_actor.alias("edge_other")
    shared = (
        select(one.c.actor_id.label("one"), other.c.actor_id.label("other"), one.c.event_id)
        .distinct()
        .select_from(
            matching.join(one, one.c.event_id == matching.c.id).join(
                other, and_(other.c.event_id == one.c.event_id, one.c.actor_id < other.c.actor_id)
            )
        )
        .where(one.c.actor_id != actor_id, other.c.actor_id != actor_id)
    )
    edges_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in connection.execute(shared).mappings():
        edges_of[(row["one"], row["other"])].add(row["event_id"])

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
