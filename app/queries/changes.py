"""The change feed: the ids of records created, updated and deleted, in commit order.

Every seed, import and API write appends one `change` row per record it writes, naming who
wrote it (`changed_by`: "seed", "import" or the API token's name), so the highest `seq` is
the data version: it moves when, and only when, the data changes.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, func, select

from app.tables import change

RECORD_TYPES = ("source", "actor", "region", "quote", "event")
# The changes at a position (`since`) and at the data version, two primary-key lookups in
# one statement. Built once: a mirror polls with it.
_ENDS = select(change.c.seq, change.c.changed_at).where(
    change.c.seq.in_([bindparam("since"), select(func.max(change.c.seq)).scalar_subquery()])
)


@dataclass(frozen=True)
class FeedPage:
    """One page of the feed, where the next one starts, and the data version it was read at."""

    items: list[dict]
    next_position: int
    # When the changes at `since` and at next_position were made (as `at` shows them):
    # None at position 0, or where the feed has no such change.
    since_at: str | None
    next_at: str | None
    version: int


# The data version and, in the same primary-key lookup, when the last change was made.
# Built once: it runs on every GET (for the ETag) and for every cached aggregate.
_LAST = change.alias("last_change")
_STATE = select(
    func.max(change.c.seq),
    select(_LAST.c.changed_at).order_by(_LAST.c.seq.desc()).limit(1).scalar_subquery(),
)


def data_state(connection: Connection) -> tuple[int, str]:
    """(data version, history): two databases at one version hold the same data only if
    their last changes were made at the same instant (an import copies the feed, times
    included); a database rebuilt to the same version differs in its history."""
    version, last_change = connection.execute(_STATE).one()
    return version or 0, str(last_change)


def data_version(connection: Connection) -> int:
    """The highest change seq (0 before the first seed): one lookup on the primary key."""
    return connection.execute(select(func.max(change.c.seq))).scalar_one() or 0


def _ends(connection: Connection, since: int) -> tuple[int, dict[int, str]]:
    """The data version, and when the changes at `since` and at the version were made."""
    rows = connection.execute(_ENDS, {"since": since}).all()
    return max((row.seq for row in rows), default=0), {row.seq: _utc(row.changed_at) for row in rows}


def list_changes(connection: Connection, *, since: int, types: list[str], limit: int) -> FeedPage:
    """Up to `limit` changes after position `since`, of any of `types` (all when empty)."""
    # The version is read first and bounds the page: under PostgreSQL's READ COMMITTED each
    # statement has its own snapshot, and the next position may only jump to a version
    # whose rows this page's statement could already see.
    version, times = _ends(connection, since)
    query = (
        select(
            change.c.seq, change.c.record_type, change.c.record_id, change.c.op, change.c.changed_at, change.c.changed_by
        )
        .where(change.c.seq > since, change.c.seq <= version)
        .order_by(change.c.seq)
        .limit(limit + 1)
    )
    if types:
        query = query.where(change.c.record_type.in_(types))
    rows = list(connection.execute(query).mappings())
    if len(rows) > limit:
        rows = rows[:limit]
        next_position, next_at = rows[-1]["seq"], _utc(rows[-1]["changed_at"])
    else:
        # Everything up to the version has been scanned (rows of other types included), so
        # a filtered mirror need not read them again.
        next_position = max(since, version)
        next_at = times.get(next_position)
    items = [
        {
            "seq": row["seq"],
            "type": row["record_type"],
            "id": row["record_id"],
            "op": row["op"],
            "at": _utc(row["changed_at"]),
            "changed_by": row["changed_by"],
        }
        for row in rows
    ]
    return FeedPage(items, next_position, times.get(since), next_at, version)


def _utc(moment: datetime) -> str:
    # SQLite hands timestamps back naive; the loader writes them in UTC.
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat().replace("+00:00", "Z")
