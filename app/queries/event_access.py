"""How a date-sorted page of events is reached: through the filters' matches, or along the index.

A page sorted by date is the first rows of the (start_date, id) index that pass the filters.
SQLite's planner cannot tell an actor with 20 events from one with 60,000: given
`id IN (matches)` it reads every match and sorts them (about 100 ms for the broadest actor of
a million events), while walking the index and probing each event finds a page of a broad
actor's events within a few hundred steps. So the matches are counted up to a bound first,
an index range that stops at the bound, and the page walks the index when the bound is
reached. PostgreSQL's planner keeps value statistics and chooses by itself.
"""

from sqlalchemy import Connection, Select, func, select

from app.queries.event_filters import EventFilters, links

# Walking pays off once a filter matches more than about sqrt(page size x events) rows:
# ~7,000 of a million for a page of 50. Counting to the bound costs well under a millisecond.
BROAD = 5000


def walk_index(connection: Connection, filters: EventFilters) -> bool:
    """Whether a date-sorted page for `filters` should walk the date index (SQLite only).

    It walks when every actor and place filter matches at least BROAD link rows: with one
    narrow filter, reading its few matches is cheaper whatever the others match.
    """
    if connection.dialect.name != "sqlite" or filters.q:
        return False
    # An overlapping date range has no lower bound on the start date: a walk could not stop.
    if filters.date_from is not None and filters.date_match != "within":
        return False
    found = links(filters)
    return bool(found) and all(_count_to_bound(connection, link.matches) >= BROAD for link in found)


def _count_to_bound(connection: Connection, matches: Select) -> int:
    bounded = matches.limit(BROAD).subquery()
    return connection.execute(select(func.count()).select_from(bounded)).scalar_one()
