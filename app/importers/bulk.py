"""The bulk writer: batches of imported records into the database, idempotently, in the
caller's transaction (one per imported file, see app.importers.run).

Each batch is compared with what is stored, then written with a handful of `executemany`
statements: only new and changed records are written, each logged once in the change feed
(changed_by 'import'), so re-importing a file writes nothing at all. The rules:

- events, quotes and sources belong to the import that wrote them: a changed one is
  replaced whole (an event's actors, regions, quotes and figures with it);
- actors and regions are shared by many rows and files: the first import that names one
  creates it, later ones only fill columns it left empty (coordinates, codes);
- a stored event with the same id but another source (the same GDELT id in two files) is
  kept, and the new row is skipped as a duplicate id;
- a record that seeding or the API created is never written: an event id held by one is
  a bad row, any other such id stops the import (ImportConflict).

Derived data (search index, mentions, region closure) is written in the same transaction.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection

from app.database import take_turns_writing
from app.importers import derived, rules, stored, tuning
from app.importers.records import COLUMNS, Batch, EventRecord, Row
from app.importers.sql import RawWriter
from app.loader import fulltext_index
from app.loader.changes import Changes

_SHARED = ("source", "actor", "region")
_RECURRING_TEXT = 256


class ImportConflict(Exception):
    """An id the import would write belongs to a record that seeding or the API created."""


@dataclass(frozen=True)
class RowProblem:
    """An event the writer did not take: `reason` is a short key, `message` says why."""

    event_id: str
    reason: str
    message: str
    fatal: bool  # a bad row (subject to --on-error) rather than a reported skip


@dataclass
class Tally:
    """Records created, updated and left unchanged, per table."""

    counts: dict[str, Counter] = field(default_factory=lambda: {t: Counter() for t in COLUMNS})

    def add(self, table: str, op: str, n: int) -> None:
        self.counts[table][op] += n


class BulkWriter:
    """Writes batches on one connection inside its transaction: `finish()` after the last batch,
    `close()` always (it restores the connection's settings)."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.raw = RawWriter(connection, datetime.now(UTC))
        self.tally = Tally()
        # Sources, actors and regions recur in many batches: what is stored for each id met
        # so far (and who owns it), so each is read once per transaction and counted once.
        self.seen: dict[str, dict[str, Row]] = {name: {} for name in _SHARED}
        self.owner: dict[str, dict[str, str]] = {name: {} for name in _SHARED}
        self.closure = derived.Closure(connection)
        self.aliases: derived.AliasIndex | None = None
        self.settings = tuning.ImportSettings(connection)
        # Seeds, imports and API writes append to the change feed one at a time.
        take_turns_writing(connection)

    def finish(self) -> None:
        """The import's last step before its commit (deferred indexes are built)."""
        self.settings.finish()

    def close(self) -> None:
        """Give the connection back as it was."""
        self.settings.close()

    def _stored(self, name: str, ids: list[str]) -> dict[str, tuple[Row, str]]:
        return stored.rows(self.connection, self.raw, name, ids)

    def write(self, batch: Batch) -> list[RowProblem]:
        """Write one batch; returns the events it did not take (nothing of theirs is written)."""
        rules.check(batch)
        problems, new_events, changed_events, unchanged = self._classify_events(batch)
        # An unchanged event's source and quotes are still compared (a source's title may
        # change alone); a refused event's are not written at all.
        rules.drop_unreferenced(batch, unchanged)
        # Sources already stored that hold an alias about to be added get new mentions;
        # found before this batch's own sources are written (those are matched anyway).
        stale = self._sources_with_new_aliases(batch)
        changes = Changes()
        new_sources = self._upsert("source", batch.sources, changes)
        new_actors = self._shared("actor", batch.actors, batch.actor_aliases, changes)
        new_regions = self._shared("region", batch.regions, batch.region_aliases, changes)
        new_quotes = self._upsert("quote", batch.quotes, changes)
        self._write_events(new_events, changed_events, changes)
        self._index(batch, changes, new_actors, new_regions, new_quotes, new_events)
        texts = stale | {i: batch.sources[i][7] for i in new_sources if batch.sources[i][7]}
        texts.update({i: batch.sources[i][7] for i in changes.ids("source", "updated")})
        self._mentions(batch, new_actors, new_regions, texts, set(new_sources))
        return problems

    def _classify_events(self, batch: Batch) -> tuple[list[RowProblem], list[EventRecord], list[EventRecord],
                                                      list[EventRecord]]:
        """Split the batch's events into new, changed and unchanged; drop all but the new and changed."""
        found = self._stored("event", list(batch.events))
        children = stored.event_children(self.connection, list(found))
        problems, new, changed, unchanged = [], [], [], []
        for event_id, record in list(batch.events.items()):
            if event_id not in found:
                new.append(record)
                continue
            row, origin = found[event_id]
            kids = children[event_id]
            old = EventRecord(row, tuple(kids[0]), tuple(kids[1]), tuple(kids[2]), tuple(kids[3]))
            if origin != "import":
                problems.append(RowProblem(event_id, "id-taken", f"event id {event_id!r} belongs to a record "
                                           f"created by {origin}", fatal=True))
            elif old.signature() == record.signature():
                self.tally.add("event", "unchanged", 1)
                unchanged.append(record)
            elif row[1] != record.row[1]:
                problems.append(RowProblem(event_id, "duplicate-id", f"event {event_id!r} was already imported "
                                           f"from source {row[1]!r}; kept it", fatal=False))
            else:
                changed.append(record)
                continue
            del batch.events[event_id]
        return problems, new, changed, unchanged

    def _sources_with_new_aliases(self, batch: Batch) -> dict[str, str]:
        aliases = {}
        for name, records, by_id in (("actor", batch.actors, batch.actor_aliases),
                                     ("region", batch.regions, batch.region_aliases)):
            unseen = [i for i in records if i in by_id and i not in self.seen[name]]
            fresh = set(unseen) - self.raw.existing(name, unseen)
            aliases.update({a: None for i in fresh for a in by_id[i]})
        return derived.sources_containing(self.raw, list(aliases)) if aliases else {}

    def _upsert(self, name: str, wanted: dict[str, Row], changes: Changes) -> list[str]:
        """Insert new rows, replace changed ones; returns the ids created."""
        seen = self.seen.get(name)
        if seen is not None:  # a source many rows share is compared once per transaction
            wanted = {i: r for i, r in wanted.items() if seen.get(i) != r}
        found = self._stored(name, [i for i in wanted if seen is None or i not in seen])
        if seen is not None:
            found.update({i: (seen[i], self.owner[name][i]) for i in wanted if i in seen})
        new = [r for i, r in wanted.items() if i not in found]
        changed = [r for i, r in wanted.items() if i in found and found[i][0] != r]
        for row in changed:
            if found[row[0]][1] != "import":
                raise ImportConflict(f"{name} id {row[0]!r} belongs to a record created by {found[row[0]][1]}")
        self.raw.insert(name, COLUMNS[name], new, stamped=True)
        self.raw.update(name, COLUMNS[name][1:], changed)
        self._record(name, changes, new, changed, len(wanted) - len(new) - len(changed))
        if seen is not None:
            for i, r in wanted.items():
                # Sources that recur (GDELT's URLs) have no text; one with a text belongs to
                # one event or document and is not worth holding in memory for the rest.
                if len(r[7]) <= _RECURRING_TEXT:
                    self.owner[name][i] = found[i][1] if i in found else "import"
                    seen[i] = r
        return [r[0] for r in new]

    def _shared(self, name: str, wanted: dict[str, Row], aliases: dict[str, list[str]], changes: Changes) -> list[str]:
        """Create what is new; fill what a stored record left empty; returns the ids created."""
        seen, owner = self.seen[name], self.owner[name]
        first_met = [i for i in wanted if i not in seen]
        for i, (row, origin) in self._stored(name, first_met).items():
            seen[i], owner[i] = row, origin
        new = rules.parents_first(name, [r for i, r in wanted.items() if i not in seen])
        filled = []
        for record_id, row in wanted.items():
            if record_id in seen and owner[record_id] == "import":
                merged = rules.fill(name, seen[record_id], row)
                if merged != seen[record_id]:
                    filled.append(merged)
                    seen[record_id] = merged
        self.raw.insert(name, COLUMNS[name], new, stamped=True)
        self.raw.insert_rows(f"{name}_alias", (f"{name}_id", "alias", "position"),
                             [(r[0], a, i) for r in new for i, a in enumerate(aliases.get(r[0], []))])
        self.raw.update(name, COLUMNS[name][1:], filled)
        for row in new:
            seen[row[0]], owner[row[0]] = row, "import"
        written = {r[0] for r in new} | {r[0] for r in filled}
        self._record(name, changes, new, filled, sum(1 for i in first_met if i not in written))
        return [r[0] for r in new]

    def _write_events(self, new: list[EventRecord], changed: list[EventRecord], changes: Changes) -> None:
        raw = self.raw
        raw.insert("event", COLUMNS["event"], [e.row for e in new], stamped=True)
        raw.update("event", COLUMNS["event"][1:], [e.row for e in changed])
        changed_ids = [e.row[0] for e in changed]
        for child in ("event_actor", "event_region", "event_quote", "figure"):
            raw.delete_where_in(child, "event_id", changed_ids)
        records = new + changed
        raw.insert_rows("event_actor", ("event_id", "actor_id", "role", "position"),
                        [(e.row[0], a, role, i) for e in records for i, (a, role) in enumerate(e.actors)])
        raw.insert_rows("event_region", ("event_id", "region_id", "position"),
                        [(e.row[0], r, i) for e in records for i, r in enumerate(e.regions)])
        raw.insert_rows("event_quote", ("event_id", "quote_id", "position"),
                        [(e.row[0], q, i) for e in records for i, q in enumerate(e.quotes)])
        raw.insert_rows("figure", ("event_id", "position", "value", "unit", "text", "span_start", "span_end"),
                        [(e.row[0], i, *f) for e in records for i, f in enumerate(e.figures)])
        self._record("event", changes, [e.row for e in new], [e.row for e in changed], 0)

    def _record(self, name: str, changes: Changes, new: list[Row], changed: list[Row], unchanged: int) -> None:
        new_ids, changed_ids = [r[0] for r in new], [r[0] for r in changed]
        changes.record(name, "created", new_ids)
        changes.record(name, "updated", changed_ids)
        self.raw.log_changes(name, "created", new_ids)
        self.raw.log_changes(name, "updated", changed_ids)
        self.tally.add(name, "created", len(new_ids))
        self.tally.add(name, "updated", len(changed_ids))
        self.tally.add(name, "unchanged", unchanged)

    def _index(self, batch: Batch, changes: Changes, new_actors: list[str], new_regions: list[str],
               new_quotes: list[str], new_events: list[EventRecord]) -> None:
        """Region closure and search-index rows for what this batch wrote."""
        raw = self.raw
        raw.insert_rows("region_ancestor", ("region_id", "ancestor_id", "depth"),
                        self.closure.rows_for([(i, batch.regions[i][5]) for i in new_regions]))
        entries = [derived.entry("actor", i, batch.actors[i][1], batch.actor_aliases.get(i, [])) for i in new_actors]
        entries += [derived.entry("region", i, batch.regions[i][1], batch.region_aliases.get(i, []))
                    for i in new_regions]
        entries += [derived.entry("quote", i, "", [batch.quotes[i][3]]) for i in new_quotes]
        texts = self._quote_texts(batch, new_events)
        entries += [derived.entry("event", e.row[0], e.row[2], [e.row[3], *(texts[q] for q in e.quotes)])
                    for e in new_events]
        derived.index_rows(raw, entries)
        # Updates are rare: the loader's own refresher re-indexes them (and events citing a changed quote).
        updated = Changes()
        for kind in ("actor", "region", "quote", "event"):
            updated.record(kind, "updated", changes.ids(kind, "updated"))
        fulltext_index.refresh(self.connection, updated)

    def _quote_texts(self, batch: Batch, events: list[EventRecord]) -> dict[str, str]:
        texts = {i: row[3] for i, row in batch.quotes.items()}
        missing = sorted({q for e in events for q in e.quotes if q not in texts})
        if missing:
            texts.update({i: row[3] for i, (row, _) in self._stored("quote", missing).items()})
        return texts

    def _mentions(self, batch: Batch, new_actors: list[str], new_regions: list[str], texts: dict[str, str],
                  new_sources: set[str]) -> None:
        """Recompute the mentions of these sources (id -> text) with every alias stored now."""
        if self.aliases is None:
            if not texts:
                return  # loaded later, when a source needs it: everything stored by then
            self.aliases = derived.AliasIndex.load(self.connection)
        else:
            for i in new_actors:
                for alias in batch.actor_aliases.get(i, []):
                    self.aliases.add(("actor", i), alias)
            for i in new_regions:
                for alias in batch.region_aliases.get(i, []):
                    self.aliases.add(("region", i), alias)
        if texts:
            derived.refresh_mentions(self.raw, self.aliases, texts, new_sources)
