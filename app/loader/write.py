"""Writing a Dataset: insert what is new, update what changed, prune what a coding dropped.

Runs inside the caller's transaction and never commits: the caller owns it, so a failure
anywhere leaves the database exactly as it was.
"""

from datetime import UTC, datetime
from sqlalchemy import Connection, Table, delete, insert, select, update

from app import tables
from app.loader.dataset import Dataset, Record

Tally = dict[str, dict[str, int]]

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


def write_dataset(connection: Connection, dataset: Dataset) -> Tally:
    """Make the database hold `dataset`; returns created/updated/unchanged/deleted per table."""
    now = datetime.now(UTC)
    tally: Tally = {}
    source_ids = list(dataset.sources)
    tally["source"] = _sync(connection, tables.source, dataset.sources, now)
    tally["actor"] = _sync(connection, tables.actor, dataset.actors, now)
    tally["region"] = _sync(connection, tables.region, dataset.regions, now)
    # Events go before quotes when pruning (they point at quotes), after them when adding.
    events_gone = _prune(connection, tables.event, dataset.events, source_ids)
    quotes_gone = _prune(connection, tables.quote, dataset.quotes, source_ids)
    tally["quote"] = _sync(connection, tables.quote, dataset.quotes, now, per_source=True)
    tally["event"] = _sync(connection, tables.event, dataset.events, now, per_source=True)
    tally["quote"]["deleted"] = quotes_gone
    tally["event"]["deleted"] = events_gone
    if tally["region"]["created"] or tally["region"]["updated"]:
        connection.execute(delete(tables.region_ancestor))
        if dataset.region_ancestors:
            connection.execute(insert(tables.region_ancestor), dataset.region_ancestors)
    return tally


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
    connection: Connection, table: Table, wanted: dict[str, Record], now: datetime, *, per_source: bool = False
) -> dict[str, int]:
    """Insert new records, update changed ones (children replaced whole), count the rest."""
    existing = _existing(connection, table, list(wanted))
    if per_source:
        _refuse_foreign_ids(connection, table, wanted, existing)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    new = [record for key, record in wanted.items() if key not in existing]
    changed = [r for k, r in wanted.items() if k in existing and existing[k].signature() != r.signature()]
    counts["created"], counts["updated"] = len(new), len(changed)
    counts["unchanged"] = len(wanted) - len(new) - len(changed)

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
    return counts


def _refuse_foreign_ids(connection: Connection, table: Table, wanted: dict[str, Record], existing: dict[str, Record]) -> None:
    """An id taken by another source's record would silently move it: refuse instead."""
    for key, stored in existing.items():
        if stored.row["source_id"] != wanted[key].row["source_id"]:
            raise IdTakenError(table.name, key, stored.row["source_id"])


def _prune(connection: Connection, table: Table, wanted: dict[str, Record], source_ids: list[str]) -> int:
    """Delete this table's records of the given sources that the codings no longer hold."""
    if not source_ids:
        return 0
    stored = connection.execute(select(table.c.id).where(table.c.source_id.in_(source_ids))).scalars()
    gone = [record_id for record_id in stored if record_id not in wanted]
    for chunk in _chunks(gone):
        connection.execute(delete(table).where(table.c.id.in_(chunk)))
    return len(gone)


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class IdTakenError(Exception):
    """A coded id already belongs to a record of another source."""

    def __init__(self, table: str, record_id: str, owner: str):
        self.table, self.record_id, self.owner = table, record_id, owner
        super().__init__(f"{table} id {record_id!r} already belongs to source {owner!r}")


