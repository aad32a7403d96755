"""`geoevents export`: every record as JSON Lines (app.transfer.records), from one snapshot.

Everything is read in one read transaction (REPEATABLE READ on PostgreSQL; on SQLite a
transaction's reads share one WAL snapshot), so an export taken while seeds run is one
dataset version. Records are read in keyset pages, a fixed number of statements per page,
and written as they come: memory holds one page, plus the ids of actors and regions to
order them.
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from sqlalchemy import Column, Connection, Engine, func, select

from app import tables
from app.migrate import current_revision, head_revision
from app.transfer.records import (
    CHILDREN,
    FORMAT,
    RECORD_TYPES,
    SELF_REFERENCES,
    TABLES,
    VERSION,
    column_members,
)

PAGE = 500
# Sources carry their whole text: fewer per page keeps memory flat.
SOURCE_PAGE = 50

Line = dict[str, Any]


class ExportError(Exception):
    """Why there is nothing to export; nothing was written."""


def check_exportable(engine: Engine) -> str:
    """The database's schema revision, if it is the one this code exports; ExportError otherwise."""
    url = engine.url
    # Opening a SQLite file that is not there would create it.
    on_disk = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_disk and not Path(url.database).is_file():
        raise ExportError(f"there is no SQLite database at {Path(url.database).absolute()}")
    revision, newest = current_revision(engine), head_revision()
    if revision != newest:
        at = f"is at schema {revision}" if revision else "has no geoevents schema"
        raise ExportError(f"the database {at}, not {newest}: run `geoevents db upgrade` first")
    return revision


def write_export(engine: Engine, out: BinaryIO) -> dict[str, int]:
    """Write the header and every record to `out`; returns the count of each line type."""
    revision = check_exportable(engine)
    with read_snapshot(engine) as connection:
        counts = {name: connection.execute(select(func.count()).select_from(TABLES[name])).scalar_one()
                  for name in RECORD_TYPES}
        out.write(_dumps(header(counts, revision)))
        out.writelines(_dumps(line) for line in records(connection))
    return counts


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose every statement sees the same committed data."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # READ COMMITTED, the default, would let each page see later commits.
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with connection.begin():
            yield connection


def header(counts: dict[str, int], revision: str) -> Line:
    """The first line: what the file is, and how many lines of each type follow."""
    return {"type": "header", "format": FORMAT, "version": VERSION, "schema_revision": revision,
            "exported_at": datetime.now(UTC), "counts": counts}


def records(connection: Connection) -> Iterator[Line]:
    """Every record line, in the format's order."""
    yield from _lines(connection, "source", _keyset_pages(connection, "source", SOURCE_PAGE))
    for record_type in ("actor", "region"):
        yield from _lines(connection, record_type, _ordered_pages(connection, record_type))
    for record_type in ("quote", "event", "change"):
        yield from _lines(connection, record_type, _keyset_pages(connection, record_type, PAGE))


def _lines(connection: Connection, record_type: str, pages: Iterator[list[dict]]) -> Iterator[Line]:
    members = column_members(record_type)
    for rows in pages:
        children = _children(connection, record_type, [row["id"] for row in rows]) if record_type in CHILDREN else {}
        for row in rows:
            line: Line = {"type": record_type}
            line.update((name, _plain(row[column])) for column, name in members)
            for name, grouped in children.items():
                line[name] = grouped.get(row["id"], [])
            yield line


def _key(record_type: str) -> Column:
    table = TABLES[record_type]
    return table.c.seq if record_type == "change" else table.c.id


def _keyset_pages(connection: Connection, record_type: str, size: int) -> Iterator[list[dict]]:
    """Rows in key order, one page per statement."""
    table, key, last = TABLES[record_type], _key(record_type), None
    while True:
        query = select(table).order_by(key).limit(size)
        if last is not None:
            query = query.where(key > last)
        rows = [dict(row) for row in connection.execute(query).mappings()]
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1][key.name]


def _ordered_pages(connection: Connection, record_type: str) -> Iterator[list[dict]]:
    """Rows ordered so a record pointed at by another (a parent) comes before it."""
    table, link = TABLES[record_type], SELF_REFERENCES[record_type]
    links = dict(connection.execute(select(table.c.id, table.c[link])).all())
    order = sorted(links, key=lambda record_id: (_depth(links, record_id, record_type), record_id))
    for start in range(0, len(order), PAGE):
        chunk = order[start : start + PAGE]
        by_id = {row["id"]: dict(row) for row in connection.execute(select(table).where(table.c.id.in_(chunk))).mappings()}
        yield [by_id[record_id] for record_id in chunk]


def _depth(links: dict[str, str | None], record_id: str, record_type: str) -> int:
    depth, node, seen = 0, links[record_id], {record_id}
    while node is not None:
        if node in seen:
            raise ValueError(f"{record_type} {record_id!r} is part of a cycle of {SELF_REFERENCES[record_type]}")
        seen.add(node)
        depth, node = depth + 1, links.get(node)
    return depth


def _children(connection: Connection, record_type: str, ids: list[str]) -> dict[str, dict[str, list]]:
    """Each child list of the page's records, one statement per child table."""
    found: dict[str, dict[str, list]] = {}
    for name, table_name, key, kept in CHILDREN.get(record_type, []):
        child = tables.metadata.tables[table_name]
        query = select(child).where(child.c[key].in_(ids)).order_by(child.c[key], child.c.position)
        grouped: dict[str, list] = defaultdict(list)
        for row in connection.execute(query).mappings():
            value = row[kept[0]] if len(kept) == 1 else {column: row[column] for column in kept}
            grouped[row[key]].append(value)
        found[name] = grouped
    return found


def _plain(value: Any) -> Any:
    # SQLite hands back naive datetimes (the writers store UTC); PostgreSQL aware ones in
    # the session's zone. Both are written as UTC with a Z.
    if isinstance(value, datetime):
        return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).astimezone(UTC)
    return value


def _dumps(line: Line) -> bytes:
    return orjson.dumps(line, option=orjson.OPT_UTC_Z | orjson.OPT_APPEND_NEWLINE)
