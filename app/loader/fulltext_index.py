"""Keeps the full-text index (app.queries.fulltext) in step with the records, in the seed's transaction.

On SQLite each row gets a row id in its kind's range (fulltext.rowid_range): a record
re-indexed keeps the row id it had, a new record takes the next one after the kind's last.
"""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Column, Connection, Integer, MetaData, Table, delete, insert, literal_column, select

from app.loader.changes import Changes
from app.queries.fulltext import INDEX_TABLE, KINDS, of_kind, rowid_range, search_index
from app.queries.text import PART_SEPARATOR, folded_words
from app.tables import actor, actor_alias, event, event_quote, quote, region, region_alias

_CHUNK = 500

_ROWID = literal_column(f"{INDEX_TABLE}.rowid")
# The SQLite index as written to: its columns with the row id named.
_sqlite_rows = Table(
    INDEX_TABLE, MetaData(), Column("rowid", Integer), *(Column(c) for c in ("kind", "record_id", "name", "body"))
)


def refresh(connection: Connection, changes: Changes) -> None:
    """Re-index the events, quotes, actors and regions a seed created, updated or deleted.

    An event's entry holds the text of its evidence quotes, so an event whose quote
    changed is re-indexed too.
    """
    stale: dict[str, set[str]] = {kind: set(changes.ids(kind, "created", "updated")) for kind in KINDS}
    changed_quotes = changes.ids("quote", "updated")
    for chunk in _chunks(changed_quotes):
        citing = select(event_quote.c.event_id).where(event_quote.c.quote_id.in_(chunk))
        stale["event"].update(connection.execute(citing).scalars())
    for kind in KINDS:
        last = last_rowid(connection, kind)
        kept = _remove(connection, kind, sorted(stale[kind] | set(changes.ids(kind, "deleted"))))
        for chunk in _chunks(sorted(stale[kind])):
            entries = _entries(connection, kind, chunk)
            for entry in entries:
                if entry["record_id"] not in kept:
                    last += 1
                kept.setdefault(entry["record_id"], last)
            _insert(connection, entries, kept)


def rebuild(connection: Connection) -> None:
    """Index every record from scratch (migration 0003 runs it for databases seeded before)."""
    connection.execute(delete(search_index))
    for kind in KINDS:
        entries = _entries(connection, kind, None)
        first, _ = rowid_range(kind)
        _insert(connection, entries, {e["record_id"]: first + n for n, e in enumerate(entries, start=1)})


def last_rowid(connection: Connection, kind: str) -> int:
    """The highest row id the SQLite index rows of `kind` have, or the one before their range."""
    if connection.dialect.name != "sqlite":
        return 0
    newest = select(_ROWID).select_from(search_index).where(of_kind(kind)).order_by(_ROWID.desc()).limit(1)
    return connection.execute(newest).scalar() or rowid_range(kind)[0]


def _remove(connection: Connection, kind: str, ids: list[str]) -> dict[str, int]:
    """Delete the index rows of these records of `kind`: their row ids by record id (SQLite only).

    SQLite finds them by reading the stored rows of the kind's range (record_id is not
    indexed), in one pass for many records rather than one per chunk.
    """
    if not ids:
        return {}
    if connection.dialect.name != "sqlite":
        for chunk in _chunks(ids):
            connection.execute(delete(search_index).where(of_kind(kind), search_index.c.record_id.in_(chunk)))
        return {}
    rows = select(_ROWID, search_index.c.record_id).select_from(search_index).where(of_kind(kind))
    if len(ids) <= _CHUNK:
        rows = rows.where(search_index.c.record_id.in_(ids))
    wanted = set(ids)
    found = {record_id: rowid for rowid, record_id in connection.execute(rows) if record_id in wanted}
    for chunk in _chunks(found.values()):
        connection.execute(delete(search_index).where(_ROWID.in_(chunk)))
    return found


def _insert(connection: Connection, entries: list[dict], rowids: dict[str, int]) -> None:
    """Insert index rows; on SQLite each with its record's row id in `rowids`."""
    if not entries:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(insert(_sqlite_rows), [{**e, "rowid": rowids[e["record_id"]]} for e in entries])
        return
    # PostgreSQL indexes the words folded in Python, exactly as unicode61 folds them on SQLite.
    entries = [{**e, "name_terms": folded_words(e["name"]), "body_terms": folded_words(e["body"])} for e in entries]
    connection.execute(insert(search_index), entries)


def _entries(connection: Connection, kind: str, ids: list[str] | None) -> list[dict]:
    """Index rows for the records of `kind` among `ids` (every record when None)."""
    if kind == "event":
        quotes = _grouped(connection, event_quote.c.event_id, quote.c.text, event_quote.c.position, ids,
                          event_quote.join(quote, quote.c.id == event_quote.c.quote_id))
        rows = connection.execute(_among(select(event.c.id, event.c.title, event.c.summary), event.c.id, ids))
        return [_entry(kind, i, title, [summary, *quotes[i]]) for i, title, summary in rows]
    if kind == "quote":
        rows = connection.execute(_among(select(quote.c.id, quote.c.text), quote.c.id, ids))
        return [_entry(kind, i, "", [text]) for i, text in rows]
    table, aliases = (actor, actor_alias) if kind == "actor" else (region, region_alias)
    owner = aliases.c[f"{kind}_id"]
    names = _grouped(connection, owner, aliases.c.alias, aliases.c.position, ids, aliases)
    rows = connection.execute(_among(select(table.c.id, table.c.name), table.c.id, ids))
    return [_entry(kind, i, name, names[i]) for i, name in rows]


def _entry(kind: str, record_id: str, name: str, parts: list[str]) -> dict:
    return {"kind": kind, "record_id": record_id, "name": name, "body": PART_SEPARATOR.join(parts)}


def _among(query, column, ids: list[str] | None):  # type: ignore[no-untyped-def]
    return query if ids is None else query.where(column.in_(ids))


def _grouped(  # type: ignore[no-untyped-def]
    connection: Connection, key, value, position, ids: list[str] | None, source
) -> dict[str, list[str]]:
    """`value`s per `key`, in `position` order."""
    query = _among(select(key, value).select_from(source), key, ids).order_by(key, position)
    grouped: dict[str, list[str]] = defaultdict(list)
    for record_id, text in connection.execute(query):
        grouped[record_id].append(text)
    return grouped


def _chunks(items: Iterable) -> list[list]:  # type: ignore[type-arg]
    items = list(items)
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
