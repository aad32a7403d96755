"""Writing a Dataset: insert what is new, update what changed, prune what a coding dropped.

Runs inside the caller's transaction and never commits: the caller owns it, so a failure
anywhere leaves the database exactly as it was.
"""

from datetime import UTC, datetime

from sqlalchemy import Connection, Table, delete, insert, select, update

from app import tables
from app.database import take_turns_writing
from app.loader import derived
from app.loader.changes import TABLES, Changes
from app.loader.dataset import Dataset, Record

# Child tables and the column that points at their record.
_CHILD_KEYS = {
    "actor_alias": "actor_id",
    "region_alias": "region_id",
    "event_actor": "event_id",
    "event_region": "event_id",
    "event_quote": "event_id",
    "figure": "event_id",
}
_CHILDREN = {
    "actor": ["actor_alias"],
    "region": ["region_alias"],
    "source": [],
    "quote": [],
    "event": ["event_actor", "event_region", "event_quote", "figure"],
}
# A column that points at a row of the same table is filled in a second pass, so records
# can refer to each other in any order.
_SELF_REFERENCES = {"actor": "affiliation_id", "region": "parent_id"}
# Who the change feed says made a seed's changes (an API write names its token, an import "import").
CHANGED_BY = "seed"


def write_dataset(connection: Connection, dataset: Dataset) -> Changes:
    """Make the database hold `dataset`, log every change, and refresh derived indexes."""
    # One writer at a time, so change-feed seqs commit in order and a mirror never skips a
    # row that a slower concurrent writer committed later.
    take_turns_writing(connection)
    now = datetime.now(UTC)
    changes = Changes()
    source_ids = list(dataset.sources)
    _sync(connection, tables.source, dataset.sources, now, changes)
    _sync(connection, tables.actor, dataset.actors, now, changes)
    _sync(connection, tables.region, dataset.regions, now, changes)
    # Events go before quotes when pruning (they point at quotes), after them when adding.
    _prune(connection, tables.event, dataset.events, source_ids, changes)
    _prune(connection, tables.quote, dataset.quotes, source_ids, changes)
    _sync(connection, tables.quote, dataset.quotes, now, changes, per_source=True)
    _sync(connection, tables.event, dataset.events, now, changes, per_source=True)
    if changes.ids("region", "created", "updated"):
        rebuild_region_closure(connection)
    _log(connection, changes, now)
    derived.refresh(connection, changes)
    return changes


def rebuild_region_closure(connection: Connection) -> None:
    """Recompute region_ancestor from every region in the database, whoever made it.

    Seeded regions are not the only ones: imported and API-made regions hang below them,
    so the closure is derived from the stored parent links, not from one seed's codings.
    """
    parents = dict(connection.execute(select(tables.region.c.id, tables.region.c.parent_id)).all())
    rows = []
    for region_id in parents:
        node, depth, seen = region_id, 0, set()
        while node is not None and node not in seen:
            seen.add(node)
            rows.append({"region_id": region_id, "ancestor_id": node, "depth": depth})
            node, depth = parents.get(node), depth + 1
    connection.execute(delete(tables.region_ancestor))
    for start in range(0, len(rows), 5000):
        connection.execute(insert(tables.region_ancestor), rows[start : start + 5000])


def _log(connection: Connection, changes: Changes, now: datetime) -> None:
    """Append to the change feed in a stable order: by table, then created, updated, deleted."""
    rows = [
        {"record_type": table, "record_id": record_id, "op": op, "changed_at": now, "changed_by": CHANGED_BY}
        for table in TABLES
        for op in ("created", "updated", "deleted")
        for record_id in changes.ids(table, op)
    ]
    if rows:
        connection.execute(insert(tables.change), rows)


def _existing(connection: Connection, table: Table, ids: list[str]) -> dict[str, Record]:
    """The stored records among `ids`, in the same shape the codings produce."""
    if not ids:
        return {}
    columns = [c for c in table.c if c.name not in ("created_at", "updated_at")]
    records: dict[str, Record] = {}
    for chunk in _chunks(ids):
        for row in connection.execute(select(*columns).where(table.c.id.in_(chunk))).mappings():
            records[row["id"]] = Record(row=dict(row), children={name: [] for name in _CHILDREN[table.name]})
        for child_name in _CHILDREN[table.name]:
            child = tables.metadata.tables[child_name]
            key = _CHILD_KEYS[child_name]
            query = select(child).where(child.c[key].in_(chunk)).order_by(child.c[key], child.c.position)
            for row in connection.execute(query).mappings():
                values = {k: v for k, v in row.items() if k != key}
                records[row[key]].children[child_name].append(values)
    return records


def _sync(
    connection: Connection,
    table: Table,
    wanted: dict[str, Record],
    now: datetime,
    changes: Changes,
    *,
    per_source: bool = False,
) -> None:
    """Insert new records, update changed ones (children replaced whole), count the rest."""
    existing = _existing(connection, table, list(wanted))
    _refuse_foreign_ids(table, wanted, existing, per_source=per_source)
    new = [record for key, record in wanted.items() if key not in existing]
    changed = [r for k, r in wanted.items() if k in existing and existing[k].signature() != r.signature()]
    changes.record(table.name, "created", [r.row["id"] for r in new])
    changes.record(table.name, "updated", [r.row["id"] for r in changed])
    changes.unchanged[table.name] = len(wanted) - len(new) - len(changed)

    self_ref = _SELF_REFERENCES.get(table.name)
    if new:
        rows = [{**r.row, "created_at": now, "updated_at": now} for r in new]
        if self_ref:
            rows = [{**row, self_ref: None} for row in rows]
        connection.execute(insert(table), rows)
    for record in changed + (new if self_ref else []):
        values = {**record.row, "updated_at": now}
        connection.execute(update(table).where(table.c.id == record.row["id"]).values(values))
    for child_name in _CHILDREN[table.name]:
        child = tables.metadata.tables[child_name]
        key = _CHILD_KEYS[child_name]
        changed_ids = [r.row["id"] for r in changed]
        for chunk in _chunks(changed_ids):
            connection.execute(delete(child).where(child.c[key].in_(chunk)))
        rows = [{**c, key: r.row["id"]} for r in new + changed for c in r.children.get(child_name, [])]
        if rows:
            connection.execute(insert(child), rows)


def _refuse_foreign_ids(
    table: Table, wanted: dict[str, Record], existing: dict[str, Record], *, per_source: bool
) -> None:
    """An id taken by another source's record, or by a record seeding did not make (created
    through the API or imported), would be silently overwritten: refuse instead."""
    for key, stored in existing.items():
        if stored.row["origin"] != "seed":
            raise IdTakenError(table.name, key, f"a record created by {stored.row['origin']}")
        if per_source and stored.row["source_id"] != wanted[key].row["source_id"]:
            raise IdTakenError(table.name, key, f"source {stored.row['source_id']!r}")


def _prune(connection: Connection, table: Table, wanted: dict[str, Record], source_ids: list[str], changes: Changes) -> None:
    """Delete this table's records of the given sources that the codings no longer hold."""
    if not source_ids:
        return
    # Only what seeding made: records created through the API or imported are never pruned.
    owned = select(table.c.id).where(table.c.source_id.in_(source_ids), table.c.origin == "seed")
    stored = connection.execute(owned).scalars()
    gone = sorted(record_id for record_id in stored if record_id not in wanted)
    for chunk in _chunks(gone):
        connection.execute(delete(table).where(table.c.id.in_(chunk)))
    changes.record(table.name, "deleted", gone)


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class IdTakenError(Exception):
    """A coded id already belongs to a record of another source."""

    def __init__(self, table: str, record_id: str, owner: str):
        self.table, self.record_id, self.owner = table, record_id, owner
        super().__init__(f"{table} id {record_id!r} already belongs to {owner}")


