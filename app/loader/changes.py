"""What one seed changed: the ids written per table, for the tally, the feed and derived data."""

from dataclasses import dataclass, field

Tally = dict[str, dict[str, int]]

TABLES = ("source", "actor", "region", "quote", "event")


@dataclass
class Changes:
    """Ids written by one seed, by table and by what happened to them."""

    unchanged: dict[str, int] = field(default_factory=dict)
    ops: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def record(self, table: str, op: str, ids: list[str]) -> None:
        self.ops.setdefault(table, {"created": [], "updated": [], "deleted": []})[op].extend(ids)

    def ids(self, table: str, *ops: str) -> list[str]:
        """The ids of `table` that went through any of `ops`."""
        done = self.ops.get(table, {})
        return [record_id for op in ops for record_id in done.get(op, [])]

    def tally(self) -> Tally:
        return {
            table: {
                "created": len(self.ids(table, "created")),
                "updated": len(self.ids(table, "updated")),
                "unchanged": self.unchanged.get(table, 0),
                "deleted": len(self.ids(table, "deleted")),
            }
            for table in TABLES
        }
