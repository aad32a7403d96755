"""`geoevents generate`: a deterministic synthetic dataset of any size, for scale tests.

The same --events and --seed always give the same records, byte for byte: everything is
drawn from one random.Random(seed) in a fixed order (timestamps aside). The shape imitates
real data: regions five levels deep with coordinates, a long tail of actors (a few in
very many events), dates over 1960-2025 at day, month and year precision and a few
undated, all sixteen event types, and source documents of ten events each whose
sentences are quoted, with exact spans, as half of the events' evidence.
"""

import calendar
import random
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from sqlalchemy import Engine

from app.coding.vocabulary import EventType
from app.database import write_transaction
from app.importers import pipeline, tuning
from app.importers.bulk import BulkWriter
from app.importers.generate_world import PREFIX, World, build_world, word
from app.importers.progress import Progress
from app.importers.records import Batch, EventRecord, sha256_text
from app.importers.report import FileReport, ImportReport

EVENTS_PER_SOURCE = 10
PARALLEL_EVENTS = 50000
VERBS = {
    "AGREE": "agreed with", "CONSULT": "met", "SUPPORT": "praised", "CONCEDE": "made concessions to",
    "COOPERATE": "signed a cooperation plan with", "AID": "sent aid to", "RETREAT": "pulled back from",
    "REQUEST": "appealed to", "ACCUSE": "accused", "REJECT": "rejected a proposal from", "THREATEN": "threatened",
    "PROTEST": "protested against", "SANCTION": "imposed sanctions on", "MOBILIZE": "mobilised forces against",
    "COERCE": "detained members of", "ASSAULT": "attacked",
}
_TYPES = [t.value for t in EventType]
_STATUSES = [("occurred", 0.85), ("ongoing", 0.92), ("planned", 0.97), ("proposed", 1.0)]
_LEVELS = [("city", 0.6), ("subdivision", 0.75), ("country", 0.9), ("site", 1.0)]
_QUOTE_KINDS = [("excerpt", 0.6), ("statement", 0.85), ("analysis", 1.0)]
_MONTHS = list(calendar.month_name)


def _pick(rng: random.Random, table: list[tuple[str, float]]) -> str:
    roll = rng.random()
    return next(value for value, bound in table if roll < bound)


def _date(rng: random.Random, status: str) -> tuple[date | None, date | None, str, str]:
    """(start, end, precision, how a sentence opens with it)."""
    year = 2025 - int(66 * rng.random() ** 1.7)
    roll = rng.random()
    if roll >= 0.95:
        return None, None, "unknown", "At an unreported date"
    if roll >= 0.85:
        return date(year, 1, 1), date(year, 12, 31), "year", f"In {year}"
    month = rng.randint(1, 12)
    last = calendar.monthrange(year, month)[1]
    if roll >= 0.70:
        return date(year, month, 1), date(year, month, last), "month", f"In {_MONTHS[month]} {year}"
    start = date(year, month, rng.randint(1, last))
    end = start + timedelta(days=rng.randint(1, 30)) if rng.random() < 0.1 else start
    if status == "ongoing" and rng.random() < 0.5:
        end = None
    return start, end, "day", f"On {start.day} {_MONTHS[month]} {year}"


class Generator:
    """Draws the world, then events a batch at a time, from one seeded generator."""

    def __init__(self, events: int, seed: int):
        self.events, self.seed = events, seed
        self.rng = random.Random(seed)
        self.world: World | None = None
        self.outlets: list[str] = []

    def batches(self, chunk: int) -> Iterator[Batch]:
        """The world in the first batch, then about `chunk` events per batch."""
        rng = self.rng
        batch = Batch()
        self.world = build_world(rng, self.events, batch)
        self.outlets = [f"The {word(rng, 2)} {kind}" for kind in ("Courier", "Herald", "Observer", "Gazette")
                        for _ in range(3)]
        for first in range(1, self.events + 1, EVENTS_PER_SOURCE):
            self._source(batch, first, min(first + EVENTS_PER_SOURCE, self.events + 1))
            if len(batch) >= chunk:
                yield batch
                batch = Batch()
        if batch.events or batch.regions:
            yield batch

    def _actor(self) -> str:
        actors = self.world.actors
        return actors[int(len(actors) * self.rng.random() ** 3)]

    def _region(self) -> str:
        ids = self.world.regions[_pick(self.rng, _LEVELS)]
        return ids[int(len(ids) * self.rng.random() ** 2)]

    def _source(self, batch: Batch, first: int, stop: int) -> None:
        """One source document and the events it reports, each in one sentence of it."""
        rng, world = self.rng, self.world
        source_id = f"{PREFIX}-source-{first // EVENTS_PER_SOURCE + 1}"
        sentences: list[str] = []
        offset = 0
        published = None
        for number in range(first, stop):
            event_id = f"{PREFIX}-event-{number}"
            kind = rng.choice(_TYPES)
            status = _pick(rng, _STATUSES)
            start, end, precision, opening = _date(rng, status)
            initiator, target = self._actor(), self._actor()
            while target == initiator:
                target = self._actor()
            roles = ((initiator, "initiator"), (target, "target"))
            if rng.random() < 0.2:
                third = self._actor()
                if third not in (initiator, target):
                    roles += ((third, "participant"),)
            region = self._region()
            country = world.country_of[region]
            # The sentence names the place alone; the event's location adds its country.
            place = world.names[region] + ("" if country == region else f", {world.names[country]}")
            names = world.names
            sentence = f"{opening}, {names[initiator]} {VERBS[kind]} {names[target]} in {names[region]}"
            dead = rng.randint(1, 60) if kind == "ASSAULT" and rng.random() < 0.5 else 0
            figure_at = len(sentence) + len(", leaving ") if dead else 0
            sentence += (f", leaving {dead} dead." if dead else ".")
            quotes: tuple[str, ...] = ()
            figures: tuple = ()
            if rng.random() < 0.5:
                quote_id = f"{PREFIX}-quote-{number}"
                quote_kind = _pick(rng, _QUOTE_KINDS)
                speaker = initiator if quote_kind == "statement" else None
                batch.quotes[quote_id] = (quote_id, source_id, quote_kind, sentence, speaker, offset,
                                          offset + len(sentence))
                quotes = (quote_id,)
                if dead:
                    text = f"{dead} dead"
                    figures = ((float(dead), "deaths", text, offset + figure_at, offset + figure_at + len(text)),)
            title = f"{names[initiator]} {VERBS[kind]} {names[target]}"
            summary = f"Synthetic {kind.lower()} event generated by geoevents."
            row = (event_id, source_id, title, summary, kind, status, start, end, precision, place,
                   {"dataset": "generated", "seed": self.seed})
            batch.events[event_id] = EventRecord(row, roles, (region,), quotes, figures)
            if precision == "day" and (published is None or start > published):
                published = start
            sentences.append(sentence)
            offset += len(sentence) + 1
        text = " ".join(sentences)
        batch.sources[source_id] = (source_id, f"Synthetic report {first // EVENTS_PER_SOURCE + 1}",
                                    rng.choice(self.outlets), published, None, "generated", sha256_text(text), text)


class _Rows:
    """The generator as an importer's file: batches, with the rows counted as they are made."""

    def __init__(self, events: int, seed: int, report: FileReport):
        self.events, self.seed, self.report = events, seed, report

    def batches(self, chunk: int, bad_row: object, advance: Callable[[int], None]) -> Iterator[Batch]:
        for batch in Generator(self.events, self.seed).batches(chunk):
            self.report.rows += len(batch)
            advance(self.report.rows)
            yield batch


def generate(engine: Engine, events: int, seed: int, *, chunk: int = 20000, progress: bool | None = None,
             parallel: bool | None = None) -> ImportReport:
    """Write the dataset for (events, seed) in one transaction; re-running it changes nothing.

    `parallel` draws the records in a second process while this one writes them (by
    default for PARALLEL_EVENTS events or more; see app.importers.pipeline).
    """
    report = ImportReport()
    file_report = FileReport(f"generated: {events} events, seed {seed}")
    report.files.append(file_report)
    bar = Progress(events, "generating", enabled=progress)

    def advance(done: int) -> None:
        bar.advance(done, done)

    rows = _Rows(events, seed, file_report)
    use_child = parallel if parallel is not None else events >= PARALLEL_EVENTS
    with write_transaction(engine) as connection:
        writer = BulkWriter(connection)
        try:
            if use_child:
                batches = pipeline.batches_in_child(rows, file_report, chunk, "fail", _never, advance)
            else:
                batches = rows.batches(chunk, _never, advance)
            for batch in batches:
                writer.write(batch)
            writer.finish()
        finally:
            writer.close()
    file_report.tally = writer.tally
    file_report.committed = True
    bar.finish()
    tuning.refresh_statistics(engine, writer.tally.counts["event"]["created"])
    report.finished = time.perf_counter()
    return report


def _never(line: int, error: Exception) -> None:
    raise AssertionError(f"the generator made a bad row ({line}): {error}")
