"""Helpers shared by tests."""

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from app import tables


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal snapshots mean an unchanged database."""
    with engine.connect() as connection:
        return {
            name: sorted(tuple(map(str, row)) for row in connection.execute(select(table)))
            for name, table in tables.metadata.tables.items()
        }

# The newest migration: a test that names the schema revision uses this one value.
HEAD_REVISION = "0006"


def load_rows_directly(engine: Engine, dataset) -> None:  # noqa: ANN001
    """Write the seed's rows naming only the columns every old schema has (no writer code)."""
    now = datetime.now(UTC)
    children = {"actor": ["actor_alias"], "region": ["region_alias"], "event": ["event_actor", "event_region",
                "event_quote", "figure"]}
    keys = {"actor_alias": "actor_id", "region_alias": "region_id", "event_actor": "event_id",
            "event_region": "event_id", "event_quote": "event_id", "figure": "event_id"}
    with engine.begin() as connection:
        for name, records in (("source", dataset.sources), ("actor", dataset.actors), ("region", dataset.regions),
                              ("quote", dataset.quotes), ("event", dataset.events)):
            table = tables.metadata.tables[name]
            rows = [{**r.row, "created_at": now, "updated_at": now} for r in records.values()]
            for row in rows:
                for added_in_0004 in ("origin", "code", "country_code", "external_id", "attributes"):
                    row.pop(added_in_0004, None)
                if name in ("actor", "region"):
                    row.pop("affiliation_id" if name == "actor" else "parent_id")
            connection.execute(insert(table), rows)
            for child in children.get(name, []):
                child_rows = [{**c, keys[child]: r.row["id"]} for r in records.values() for c in r.children[child]]
                if child_rows:
                    connection.execute(insert(tables.metadata.tables[child]), child_rows)
