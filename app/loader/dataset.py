"""The rows a set of codings asks for, grouped by record: what the writer compares and stores."""

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass
class Record:
    """One public record: its own row and the child rows that belong to it alone."""

    row: Row
    children: dict[str, list[Row]] = field(default_factory=dict)

    def signature(self) -> tuple:
        """Everything a re-seed compares to tell unchanged from updated."""
        return (
            tuple(sorted(self.row.items())),
            tuple((name, tuple(tuple(sorted(r.items())) for r in rows)) for name, rows in sorted(self.children.items())),
        )


@dataclass
class Dataset:
    """Records by table name and id, in the order the codings give them."""

    sources: dict[str, Record] = field(default_factory=dict)
    actors: dict[str, Record] = field(default_factory=dict)
    regions: dict[str, Record] = field(default_factory=dict)
    quotes: dict[str, Record] = field(default_factory=dict)
    events: dict[str, Record] = field(default_factory=dict)
    region_ancestors: list[Row] = field(default_factory=list)
    # Every id met while reading, valid entry or not: what duplicate checks compare with.
    seen_quote_ids: set[str] = field(default_factory=set, repr=False)
    seen_event_ids: set[str] = field(default_factory=set, repr=False)

    def counts(self) -> dict[str, int]:
        """How many records of each kind the codings hold."""
        return {
            "source": len(self.sources),
            "actor": len(self.actors),
            "region": len(self.regions),
            "quote": len(self.quotes),
            "event": len(self.events),
        }
