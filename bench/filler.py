"""A stand-in for `geoevents generate`: a million realistically shaped events straight into SQLite.

Used only when the installed geoevents has no `generate` command. It writes the same
tables the loader writes (records, links, closure, search index, change feed) with plain
`executemany`, deterministically from a seed, into a database `geoevents db upgrade` has
made. Every record is `origin='import'`, so a later `geoevents seed` never prunes it.
"""

import hashlib
import math
import random
import sqlite3
import sys
import time
from datetime import date, timedelta
from itertools import accumulate

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
TYPE_WEIGHTS = (8, 14, 6, 2, 9, 4, 1, 6, 7, 4, 5, 9, 3, 5, 6, 11)
STATUSES, STATUS_WEIGHTS = ("occurred", "ongoing", "planned", "proposed"), (88, 6, 4, 2)
PRECISIONS, PRECISION_WEIGHTS = ("day", "month", "year", "unknown"), (80, 12, 5, 3)
ROLES = ("initiator", "target", "participant")
NOW = "2026-01-01 00:00:00.000000"
FIRST_DAY, LAST_DAY = date(1979, 1, 1), date(2025, 12, 31)
EVENTS_PER_SOURCE = 50
SENTENCES_PER_SOURCE = 12
SEPARATOR = "\u2029"  # app.queries.text.PART_SEPARATOR
_POOL = 1_000_003

_SYLLABLES = ("ka", "lo", "mir", "ta", "sen", "vo", "ri", "dan", "pe", "gor", "li", "nu", "sha", "bek", "ol",
              "zan", "te", "rus", "mi", "ar", "ko", "ven", "is", "tal")
_REAL_WORDS = ("ceasefire", "sanctions", "summit", "talks", "border", "troops", "treaty", "minister",
               "election", "protest", "pipeline", "refugees", "missile", "embargo", "negotiations", "aid",
               "parliament", "agreement", "offensive", "convoy", "drone", "grain", "harbour", "militia")


def _zipf(n: int, s: float = 1.07) -> list[float]:
    return list(accumulate(1 / (rank ** s) for rank in range(1, n + 1)))


class Filler:
    def __init__(self, path: str, events: int, seed: int) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.events, self.rng = events, random.Random(seed)
        words = {a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("", "n", "s", "ra")}
        self.words = list(_REAL_WORDS) + sorted(words)
        self.rng.shuffle(self.words)
        # Words are drawn once (Zipf-distributed, like real text) and read in turn: drawing
        # tens of millions one call at a time would dominate the fill.
        self.pool = self.rng.choices(self.words, cum_weights=_zipf(len(self.words)), k=_POOL)
        self.next_word = 0
        self.seq = 0

    def text(self, count: int) -> str:
        start = self.next_word
        self.next_word = (start + count) % (_POOL - 64)
        return " ".join(self.pool[start:start + count])

    def insert(self, table: str, rows: list[tuple]) -> None:
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    def columns(self, table: str) -> list[str]:
        return [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")]

    def record(self, table: str, values: dict) -> tuple:
        """A row in the table's column order, with origin and timestamps filled in."""
        defaults = {"origin": "import", "created_at": NOW, "updated_at": NOW}
        return tuple(values.get(name, defaults.get(name)) for name in self.columns_of[table])

    def change(self, record_type: str, record_id: str) -> tuple:
        self.seq += 1
        return (self.seq, record_type, record_id, "created", NOW, "import")

    def run(self) -> None:
        started = time.monotonic()
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA foreign_keys = OFF")
        self.db.execute("PRAGMA cache_size = -262144")
        self.columns_of = {t: self.columns(t) for t in ("source", "actor", "region", "quote", "event")}
        self.db.execute("BEGIN")
        self.actors()
        self.regions()
        self.sources_and_events()
        self.db.execute("COMMIT")
        rate = self.events / (time.monotonic() - started)
        print(f"filler: {self.events} events in {time.monotonic() - started:.0f} s ({rate:,.0f} events/s)")

    def actors(self) -> None:
        count = max(200, self.events // 50)
        kinds = ("person", "state", "organization", "group")
        rows, aliases, index, changes = [], [], [], []
        for i in range(count):
            actor_id = f"actor-{i:06d}"
            name = f"{self.text(1).title()} {self.text(1).title()}"
            kind = kinds[i % 4]
            rows.append(self.record("actor", {"id": actor_id, "name": name, "kind": kind, "description": self.text(8),
                                              "code": f"C{i:05d}", "country_code": None}))
            aliases.append((actor_id, name, 0))
            index.append(("actor", actor_id, name, name))
            changes.append(self.change("actor", actor_id))
        self.insert("actor", rows)
        self.insert("actor_alias", aliases)
        self.insert("search_index(kind, record_id, name, body)", index)
        self.insert("change", changes)
        self.actor_ids, self.actor_weights = [r[0] for r in rows], _zipf(count)

    def regions(self) -> None:
        """Continents, countries, subdivisions, cities: a four-level tree with a closure table."""
        tree: list[tuple[str, str, str | None, str | None, float, float]] = []
        countries = max(20, min(200, self.events // 2000))
        for w in range(8):
            tree.append((f"world-{w}", "world_region", None, None, 0.0, -150.0 + 40 * w))
        for c in range(countries):
            iso = chr(65 + c // 26 % 26) + chr(65 + c % 26)
            tree.append((f"country-{c:03d}", "country", f"world-{c % 8}", iso, -60 + c * 0.6, -170 + c * 1.7))
        subdivisions = countries * 10
        for s in range(subdivisions):
            tree.append((f"subdivision-{s:05d}", "subdivision", f"country-{s % countries:03d}", None,
                         -60 + (s % countries) * 0.6 + 0.1 * (s // countries), -170 + (s % countries) * 1.7))
        for k in range(subdivisions * 5):
            parent = f"subdivision-{k % subdivisions:05d}"
            tree.append((f"city-{k:06d}", "city", parent, None, -60 + (k % 1200) * 0.1, -170 + (k % 3400) * 0.1))
        parents = {r[0]: r[2] for r in tree}
        rows, aliases, closure, index, changes = [], [], [], [], []
        for region_id, kind, parent, iso, lat, lon in tree:
            name = f"{self.text(1).title()} {kind.split('_')[0]}"
            rows.append(self.record("region", {"id": region_id, "name": name, "kind": kind, "description": None,
                                               "iso_code": iso, "parent_id": parent, "lat": round(lat, 4),
                                               "lon": round(lon, 4), "external_id": None}))
            aliases.append((region_id, name, 0))
            index.append(("region", region_id, name, name))
            changes.append(self.change("region", region_id))
            depth, ancestor = 0, region_id
            while ancestor is not None:
                closure.append((region_id, ancestor, depth))
                ancestor, depth = parents[ancestor], depth + 1
        self.insert("region", rows)
        self.insert("region_alias", aliases)
        self.insert("region_ancestor", closure)
        self.insert("search_index(kind, record_id, name, body)", index)
        self.insert("change", changes)
        # Events sit mostly in cities, some in subdivisions or whole countries; big places get more.
        self.places = [r[0] for r in tree if r[1] in ("city", "subdivision", "country")]
        self.place_weights = _zipf(len(self.places), 0.8)

    def sources_and_events(self) -> None:
        span_days = (LAST_DAY - FIRST_DAY).days
        for first in range(0, self.events, EVENTS_PER_SOURCE * 400):
            batch = {name: [] for name in ("source", "quote", "event", "event_actor", "event_region",
                                           "event_quote", "figure", "search_index", "change")}
            for number in range(first, min(self.events, first + EVENTS_PER_SOURCE * 400), EVENTS_PER_SOURCE):
                self.one_source(number, span_days, batch)
            for table, rows in batch.items():
                target = "search_index(kind, record_id, name, body)" if table == "search_index" else table
                self.insert(target, rows)
            print(f"filler: {min(self.events, first + EVENTS_PER_SOURCE * 400):,} events", file=sys.stderr)

    def one_source(self, first_event: int, span_days: int, batch: dict[str, list]) -> None:
        source_id = f"source-{first_event // EVENTS_PER_SOURCE:06d}"
        published = FIRST_DAY + timedelta(days=self.rng.randrange(span_days))
        sentences, offsets, position = [], [], 0
        for _ in range(SENTENCES_PER_SOURCE):
            sentence = f"{self.text(self.rng.randint(10, 24)).capitalize()} and {self.rng.randint(2, 900)} people."
            offsets.append((position, position + len(sentence)))
            sentences.append(sentence)
            position += len(sentence) + 1
        text = " ".join(sentences)
        title = self.text(6).capitalize()
        batch["source"].append(self.record("source", {
            "id": source_id, "title": title, "publisher": f"{self.text(1).title()} News",
            "published_date": published.isoformat(), "url": f"https://example.org/{source_id}",
            "file_name": f"{source_id}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text}))
        batch["change"].append(self.change("source", source_id))
        quote_ids = []
        for q, (start, end) in enumerate(offsets):
            quote_id = f"{source_id}-q{q:02d}"
            quote_ids.append(quote_id)
            speaker = self.pick_actor() if q % 3 == 0 else None
            batch["quote"].append(self.record("quote", {
                "id": quote_id, "source_id": source_id, "kind": ("statement", "excerpt", "analysis")[q % 3],
                "text": text[start:end], "speaker_id": speaker, "span_start": start, "span_end": end}))
            batch["search_index"].append(("quote", quote_id, "", text[start:end]))
            batch["change"].append(self.change("quote", quote_id))
        for number in range(first_event, min(self.events, first_event + EVENTS_PER_SOURCE)):
            self.one_event(number, source_id, text, offsets, quote_ids, span_days, batch)

    def pick_actor(self) -> str:
        return self.rng.choices(self.actor_ids, cum_weights=self.actor_weights)[0]

    def one_event(self, number: int, source_id: str, text: str, offsets: list, quote_ids: list, span_days: int,
                  batch: dict[str, list]) -> None:
        rng = self.rng
        event_id = f"event-{number:07d}"
        precision = rng.choices(PRECISIONS, PRECISION_WEIGHTS)[0]
        # Recent years hold more events, as in real event data.
        day = FIRST_DAY + timedelta(days=int(span_days * math.sqrt(rng.random())))
        start = end = None
        if precision == "day":
            start = end = day
            if rng.random() < 0.1:
                end = day + timedelta(days=rng.randint(1, 90))
        elif precision == "month":
            start = day.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        elif precision == "year":
            start, end = date(day.year, 1, 1), date(day.year, 12, 31)
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        if status == "ongoing" and start is not None and rng.random() < 0.5:
            end = None
        actors = list(dict.fromkeys(self.pick_actor() for _ in range(rng.randint(1, 3))))
        title = f"{self.text(3).capitalize()} {self.text(4)}"
        summary = self.text(rng.randint(15, 40)).capitalize() + "."
        batch["event"].append(self.record("event", {
            "id": event_id, "source_id": source_id, "title": title, "summary": summary,
            "type": rng.choices(TYPES, TYPE_WEIGHTS)[0], "status": status,
            "start_date": start.isoformat() if start else None, "end_date": end.isoformat() if end else None,
            "date_precision": precision, "location": None, "attributes": None}))
        for position, actor_id in enumerate(actors):
            batch["event_actor"].append((event_id, actor_id, ROLES[min(position, 2)], position))
        places = dict.fromkeys(rng.choices(self.places, cum_weights=self.place_weights, k=rng.choice((1, 1, 1, 2))))
        for position, region_id in enumerate(places):
            batch["event_region"].append((event_id, region_id, position))
        cited = rng.sample(range(len(quote_ids)), rng.choice((1, 1, 2)))
        for position, q in enumerate(cited):
            batch["event_quote"].append((event_id, quote_ids[q], position))
        if rng.random() < 0.2:
            start_q, end_q = offsets[cited[0]]
            sentence = text[start_q:end_q]
            figure_start = start_q + sentence.rindex(" and ") + 5
            figure_end = start_q + len(sentence) - 1
            value = float(text[figure_start:figure_end].split()[0])
            batch["figure"].append((event_id, 0, value, "people", text[figure_start:figure_end], figure_start,
                                    figure_end))
        body = SEPARATOR.join([summary, *(text[offsets[q][0]:offsets[q][1]] for q in cited)])
        batch["search_index"].append(("event", event_id, title, body))
        batch["change"].append(self.change("event", event_id))


def fill(path: str, events: int, seed: int) -> float:
    """Fill the migrated, empty SQLite database at `path`; the rate in events per second."""
    started = time.monotonic()
    Filler(path, events, seed).run()
    return events / (time.monotonic() - started)


if __name__ == "__main__":
    fill(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
