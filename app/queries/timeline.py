"""Timeline: matching events counted per day, month or year, honest about date precision.

An event is put in a bucket only when its date is at least as fine as the interval: a
year-precision event is never counted in January or on 1 January, it counts in `coarser`.
An event counts once, in the bucket of its start, so the buckets, `coarser` and `undated`
add up to the number of matching events however long an event lasts.
"""

from datetime import date

from sqlalchemy import Connection, String, func, select, type_coerce

from app.queries.aggregate_cache import Remembered, filters_key
from app.queries.aggregates import Interval
from app.queries.event_filters import EventFilters, conditions
from app.tables import event

# The precisions fine enough for each interval.
FINE_ENOUGH: dict[Interval, tuple[str, ...]] = {
    "day": ("day",),
    "month": ("day", "month"),
    "year": ("day", "month", "year"),
}
MAX_BUCKETS = 20_000
# How much of an ISO date names its bucket: 2025-08-15, 2025-08, 2025.
_ISO_WIDTH: dict[Interval, int] = {"day": 10, "month": 7, "year": 4}


class TooManyBuckets(ValueError):
    """The timeline would have more than MAX_BUCKETS buckets; the API answers 422."""

    def __init__(self, interval: Interval, first: str, last: str, count: int):
        super().__init__(
            f"{count} {interval} buckets from {first} to {last} is more than {MAX_BUCKETS}"
        )


def bucket_of(day: date, interval: Interval) -> str:
    """The bucket a day falls in, written like the API writes dates at that precision."""
    return {
        "year": f"{day.year:04d}",
        "month": f"{day.year:04d}-{day.month:02d}",
        "day": day.isoformat(),
    }[interval]


def _index(bucket: str, interval: Interval) -> int:
    """Buckets as consecutive integers, so gaps and spans are subtractions."""
    if interval == "day":
        return date.fromisoformat(bucket).toordinal()
    year = int(bucket[:4])
    return year if interval == "year" else year * 12 + int(bucket[5:7]) - 1


def _bucket_at(index: int, interval: Interval) -> str:
    if interval == "day":
        return date.fromordinal(index).isoformat()
    if interval == "year":
        return f"{index:04d}"
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _counts(connection: Connection, filters: EventFilters, interval: Interval) -> tuple[dict[str, int], int, int]:
    """(events per bucket, undated, coarser): one GROUP BY on (precision, start), bucketed here.

    Grouping on the raw start date walks the (precision, start, end) index in its own order
    with no sort (50 ms for a million events on SQLite, against 400 ms for grouping on a
    bucket expression); the few thousand distinct days are then bucketed in Python.
    """
    # Read as text where the driver gives text (SQLite's ISO dates): parsing tens of thousands
    # of dates only to write them back costs more than the query.
    start_date = type_coerce(event.c.start_date, String)
    query = (
        select(event.c.date_precision, start_date, func.count().label("events"))
        .where(*conditions(filters))
        .group_by(event.c.date_precision, event.c.start_date)
    )
    filled: dict[str, int] = {}
    undated = coarser = 0
    width = _ISO_WIDTH[interval]
    for precision, start, events in connection.execute(query):
        if start is None:
            undated += events
        elif precision in FINE_ENOUGH[interval]:
            key = start[:width] if isinstance(start, str) else bucket_of(start, interval)
            filled[key] = filled.get(key, 0) + events
        else:
            coarser += events
    return filled, undated, coarser


def timeline(connection: Connection, filters: EventFilters, interval: Interval) -> dict:
    """Matching events per bucket, with empty buckets between the first and last, in one statement
    (none when the data version and filters were seen before).

    The buckets also reach out to the `from` and `to` filters when given, so a requested
    range is drawn whole. TooManyBuckets when that would be more than MAX_BUCKETS.
    """
    filled, undated, coarser = Remembered(connection).get_or_compute(
        ("timeline", interval, filters_key(filters)),
        lambda: _counts(connection, filters, interval),
        lambda counts: len(counts[0]),
    )
    ends = list(filled)
    if filters.date_from is not None:
        ends.append(bucket_of(filters.date_from, interval))
    if filters.date_to is not None:
        ends.append(bucket_of(filters.date_to, interval))
    buckets = []
    if ends:
        first, last = _index(min(ends), interval), _index(max(ends), interval)
        if last - first + 1 > MAX_BUCKETS:
            raise TooManyBuckets(interval, min(ends), max(ends), last - first + 1)
        buckets = [
            {"start": start, "count": filled.get(start, 0)}
            for start in (_bucket_at(i, interval) for i in range(first, last + 1))
        ]
    return {
        "interval": interval,
        "total": sum(filled.values()) + undated + coarser,
        "buckets": buckets,
        "undated": undated,
        "coarser": coarser,
    }
