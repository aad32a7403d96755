"""What an import did, file by file: rows read, imported, unchanged, skipped (with reasons),
repairs made to damaged input and values left out, and the rate, printed after every import."""

import time
from collections import Counter
from dataclasses import dataclass, field

from app.importers.bulk import Tally

# Problems printed in full per file and reason; the rest are counted.
SHOWN_PER_REASON = 5


class RowError(Exception):
    """A row that cannot be imported: `reason` is a short key for the tally."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason, self.message = reason, message


class ImportFailed(Exception):
    """A bad row under --on-error fail: the file's transaction was rolled back."""

    def __init__(self, location: str, message: str):
        super().__init__(f"{location}: {message}")
        self.location, self.message = location, message


@dataclass
class FileReport:
    """One input file: what was read, skipped, repaired, and what the writer did with it."""

    path: str
    rows: int = 0
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)  # damage repaired or values left out, by kind
    shown: list[str] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    committed: bool = False

    def problem(self, line: int | str, reason: str, message: str) -> None:
        """Count a skipped row and keep the first few of each reason to print."""
        self.skipped[reason] += 1
        if self.skipped[reason] <= SHOWN_PER_REASON:
            self.shown.append(f"{self.path}:{line}: {message}")


@dataclass
class ImportReport:
    """Every file of one command, and how long it took."""

    files: list[FileReport] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    def total(self, table: str, op: str) -> int:
        return sum(f.tally.counts[table][op] for f in self.files if f.committed)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def rate(self) -> float:
        """Rows read per second, over the whole command."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def lines(self) -> list[str]:
        """The report as printed: per file, then totals."""
        out = [f"{'file':<48} {'rows':>8} {'created':>8} {'updated':>8} {'unchanged':>9} {'skipped':>8}"]
        for f in self.files:
            events = f.tally.counts["event"]
            name = f.path if len(f.path) <= 48 else "…" + f.path[-47:]
            out.append(f"{name:<48} {f.rows:>8} {events['created']:>8} {events['updated']:>8} "
                       f"{events['unchanged']:>9} {sum(f.skipped.values()):>8}")
        for table in ("source", "actor", "region", "quote"):
            created, updated = self.total(table, "created"), self.total(table, "updated")
            if created or updated:
                out.append(f"{table}s: {created} created, {updated} updated")
        skipped = sum((f.skipped for f in self.files), Counter())
        notes = sum((f.notes for f in self.files), Counter())
        if skipped:
            out.append("skipped: " + ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items())))
        if notes:
            out.append("notes: " + ", ".join(f"{n} {what}" for what, n in sorted(notes.items())))
        created, updated = self.total("event", "created"), self.total("event", "updated")
        out.append(
            f"{self.rows} rows read, {created + updated} imported ({created} created, {updated} updated), "
            f"{self.total('event', 'unchanged')} unchanged, {sum(skipped.values())} skipped "
            f"in {self.seconds:.2f} s: {self.rate:,.0f} events/s"
        )
        return out
