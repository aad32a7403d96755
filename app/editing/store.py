"""Writing edits: rows with their child rows, the region hierarchy's closure (the loader's
own rebuild), the change feed with who made each change, and the derived full-text index
and mentions (the loader's refreshers).

Everything runs in the caller's one write transaction (see `editing`), so a refusal at
any point leaves the database exactly as it was.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Table, delete, insert, select, update

from app import tables
from app.database import take_turns_writing, write_transaction
from app.loader import derived
from app.loader.changes import TABLES, Changes
from app.loader.dataset import Record
from app.loader.write import rebuild_region_closure

# Each record table's child tables and the column that points at the record.
CHILDREN: dict[str, dict[str, str]] = {
    "source": {},
    "actor": {"actor_alias": "actor_id"},
    "region": {"region_alias": "region_id"},
    "quote": {},
    "event": {"event_actor": "event_id", "event_region": "event_id", "event_quote": "event_id", "figure": "event_id"},
}


def table_of(kind: str) -> Table:
    """The record table of `kind` (source, actor, region, quote, event)."""
    return tables.metadata.tables[kind]


def read_records(connection: Connection, kind: str, ids: Iterable[str]) -> dict[str, Record]:
    """Stored records among `ids` in the shape the loader's plan builds (no timestamps)."""
    ids = list(ids)
    if not ids:
        return {}
    table = table_of(kind)
    columns = [c for c in table.c if c.name not in ("created_at", "updated_at")]
    records = {
        row["id"]: Record(row=dict(row), children={name: [] for name in CHILDREN[kind]})
        for row in connection.execute(select(*columns).where(table.c.id.in_(ids))).mappings()
    }
    for child_name, key in CHILDREN[kind].items():
        child = tables.metadata.tables[child_name]
        query = select(child).where(child.c[key].in_(ids)).order_by(child.c[key], child.c.position)
        for row in connection.execute(query).mappings():
            records[row[key]].children[child_name].append({k: v for k, v in row.items() if k != key})
    return records


class Writer:
    """Writes records for one token and remembers what it wrote, for the feed and derived data."""

    def __init__(self, connection: Connection, changed_by: str):
        self.connection, self.changed_by = connection, changed_by
        self.now = datetime.now(UTC)
        self.changes = Changes()

    def save(self, kind: str, wanted: Iterable[Record]) -> None:
        """Insert the records that are new, replace those that differ, leave the rest alone."""
        wanted = list(wanted)
        existing = read_records(self.connection, kind, [r.row["id"] for r in wanted])
        written = False
        for record in wanted:
            stored = existing.get(record.row["id"])
            if stored is None:
                self._insert(kind, record)
            elif stored.signature() != record.signature():
                self._replace(kind, record)
            else:
                continue
            written = True
        if written and kind == "region":
            # At once, not at the end: the page answered after the write shows the region's path.
            rebuild_region_closure(self.connection)

    def delete(self, kind: str, ids: list[str]) -> None:
        """Delete records (their child rows go with them)."""
        if ids:
            table = table_of(kind)
            self.connection.execute(delete(table).where(table.c.id.in_(ids)))
            self.changes.record(kind, "deleted", ids)
            if kind == "region":
                rebuild_region_closure(self.connection)

    def _insert(self, kind: str, record: Record) -> None:
        self.connection.execute(insert(table_of(kind)).values(**record.row, created_at=self.now, updated_at=self.now))
        self._insert_children(kind, record)
        self.changes.record(kind, "created", [record.row["id"]])

    def _replace(self, kind: str, record: Record) -> None:
        table = table_of(kind)
        record_id = record.row["id"]
        self.connection.execute(update(table).where(table.c.id == record_id).values(**record.row, updated_at=self.now))
        for child_name, key in CHILDREN[kind].items():
            child = tables.metadata.tables[child_name]
            self.connection.execute(delete(child).where(child.c[key] == record_id))
        self._insert_children(kind, record)
        self.changes.record(kind, "updated", [record_id])

    def _insert_children(self, kind: str, record: Record) -> None:
        for child_name, key in CHILDREN[kind].items():
            rows = [{**row, key: record.row["id"]} for row in record.children.get(child_name, [])]
            if rows:
                self.connection.execute(insert(tables.metadata.tables[child_name]), rows)

    def finish(self) -> None:
        """Record what was written in the change feed and bring the derived data in line with it."""
        rows = [
            {
                "record_type": kind,
                "record_id": record_id,
                "op": op,
                "changed_at": self.now,
                "changed_by": self.changed_by,
            }
            for kind in TABLES
            for op in ("created", "updated", "deleted")
            for record_id in self.changes.ids(kind, op)
        ]
        if rows:
            self.connection.execute(insert(tables.change), rows)
        derived.refresh(self.connection, self.changes)


@contextmanager
def editing(engine: Engine, changed_by: str) -> Iterator[Writer]:
    """A Writer in one write transaction; on leaving, the feed and derived data are written and it commits."""
    with write_transaction(engine) as connection:
        # Edits and seeds take turns: an If-Match check and the write it guards see the same data.
        take_turns_writing(connection)
        writer = Writer(connection, changed_by)
        yield writer
        writer.finish()
