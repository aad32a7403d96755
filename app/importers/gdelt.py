"""GDELT event files -> batches of imported records (see README, "Importing real data").

One row is one event `gdelt-<GLOBALEVENTID>`: dated at day precision by SQLDATE, typed by
its CAMEO EventCode through data/cameo_plover.tsv, with Actor1 as initiator and Actor2 as
target (gdelt_actors), placed by ActionGeo_* (gdelt_geo), and cited to its SOURCEURL. The
CAMEO code and label, QuadClass, GoldsteinScale, NumMentions, AvgTone and DATEADDED are
kept in `event.attributes`.
"""

import hashlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Connection

from app.importers import gdelt_codes
from app.importers.gdelt_actors import actor_row
from app.importers.gdelt_geo import action_region
from app.importers.gdelt_read import (
    ACTOR1,
    ACTOR2,
    BASE_CODE,
    DATE,
    DATE_ADDED,
    EVENT_CODE,
    GEO,
    GOLDSTEIN,
    ID,
    MENTIONS,
    QUAD_CLASS,
    ROOT_CODE,
    TONE,
    GdeltRow,
    open_rows,
    read_rows,
    source_url,
)
from app.importers.lookups import cameo_labels, plover_type
from app.importers.places import CountryRegions
from app.importers.records import EMPTY_SHA256, Batch, EventRecord, short_hash
from app.importers.report import FileReport, RowError

BadRow = Callable[[int, RowError], None]

# Short on purpose: every word is indexed for search, a million times over.
SUMMARY = "Machine-coded by GDELT (CAMEO {code}), unverified."
_UNSPECIFIED = ", not specified below"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes: what names the source of its events that have no URL."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _day(value: str) -> date:
    if len(value) != 8 or not value.isdigit():
        raise RowError("bad-date", f"SQLDATE {value!r} is not YYYYMMDD")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise RowError("bad-date", f"SQLDATE {value!r} is not a real day") from None


def _number(value: str, field: str, kind: type = float) -> float | int | None:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise RowError("bad-number", f"{field} {value!r} is not a number") from None


def _date_added(value: str) -> str | None:
    """DATEADDED as ISO 8601 (UTC), or None when it is not a GDELT timestamp ("2.02E+13")."""
    if value.isdigit() and len(value) == 14:
        return f"{value[:4]}-{value[4:6]}-{value[6:8]}T{value[8:10]}:{value[10:12]}:{value[12:]}Z"
    if value.isdigit() and len(value) == 8:
        return f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    return None


def label_for_title(code: str) -> str:
    """The codebook label as a title says it: "Make statement, not specified below" -> "Make statement"."""
    label = cameo_labels()[code]
    label = label.removesuffix(_UNSPECIFIED)
    return label.capitalize() if label.isupper() else label


def source_row(value: str | None, file_source: tuple) -> tuple:
    """The source an event cites: its SOURCEURL (titled by the URL, no text: GDELT keeps no
    article text), a source named in place of a URL ("BBC Monitoring"), or else the file."""
    if not value:
        return file_source
    source_id = "gdelt-source-" + short_hash(value, length=20)
    is_url = value.startswith(("http://", "https://"))
    publisher = (urlsplit(value).netloc or None) if is_url else value
    return (source_id, value, publisher, None, value if is_url else None, "", EMPTY_SHA256, "")


class GdeltFile:
    """Turns one file's rows into batches; the caller decides what a bad row does.

    Rows repeat the same actors, places, sources and days over and over, so each is
    mapped once per file and remembered (the rows it yields are shared, never copied).
    """

    def __init__(self, path: Path, connection: Connection, report: FileReport):
        self.path, self.report = path, report
        self.countries = CountryRegions(connection)
        digest = file_digest(path)
        self.file_source = (f"gdelt-file-{digest[:20]}", f"GDELT event file {path.name}", "The GDELT Project",
                            None, None, path.name, EMPTY_SHA256, "")
        self.seen: set[str] = set()
        self.actors: dict[tuple, tuple | None] = {}
        self.places: dict[tuple, tuple[str | None, Batch]] = {}
        self.days: dict[str, date] = {}
        self.texts: dict[str, tuple[str, str]] = {}
        self.sources: dict[str, tuple] = {}

    def batches(self, chunk: int, bad_row: BadRow, progress: Callable[[int], None]) -> Iterator[Batch]:
        """Batches of about `chunk` events, in file order."""
        stream, dialect = open_rows(self.path)
        with stream:
            batch = Batch()
            for item in read_rows(stream, dialect):
                self.report.rows += 1
                if not isinstance(item, GdeltRow):
                    bad_row(*item)
                    continue
                try:
                    self._add(batch, item)
                except RowError as error:
                    bad_row(item.line, error)
                if len(batch) >= chunk:
                    progress(stream.tell())
                    yield batch
                    batch = Batch()
            if batch.events or batch.sources:
                yield batch
            progress(stream.tell())

    def _day(self, value: str) -> date:
        day = self.days.get(value)
        if day is None:
            day = self.days[value] = _day(value)
        return day

    def _actor(self, batch: Batch, fields: tuple) -> tuple | None:
        if fields not in self.actors:
            self.actors[fields] = actor_row(fields)
        row = self.actors[fields]
        if row is not None and row[0] not in batch.actors:
            batch.actors[row[0]] = row
        return row

    def _place(self, batch: Batch, geo: tuple) -> str | None:
        """The event's region id; the regions it needs are mapped once, then copied into each batch."""
        known = self.places.get(geo)
        if known is None:
            mapped = Batch()
            known = self.places[geo] = (action_region(mapped, geo, self.countries), mapped)
        region_id, mapped = known
        for row in mapped.regions.values():
            stored = batch.regions.get(row[0])
            if stored is not row:
                batch.add_region(row, mapped.region_aliases.get(row[0]))
        return region_id

    def _texts(self, code: str) -> tuple[str, str]:
        texts = self.texts.get(code)
        if texts is None:
            texts = self.texts[code] = (label_for_title(code), SUMMARY.format(code=code))
        return texts

    def _add(self, batch: Batch, row: GdeltRow) -> None:
        values = row.values
        global_id = values[ID]
        if not global_id.isdigit():
            raise RowError("bad-id", f"GLOBALEVENTID {global_id!r} is not a number")
        event_id = f"gdelt-{int(global_id)}"
        if event_id in self.seen:
            self.report.problem(row.line, "duplicate-id", f"{event_id} appears twice in this file; kept the first")
            return
        day = self._day(values[DATE])
        code, _base, _root, restored = gdelt_codes.resolve(values[EVENT_CODE], values[BASE_CODE], values[ROOT_CODE])
        added = values[DATE_ADDED]
        attributes = {
            "dataset": "gdelt",
            "cameo_code": code,
            "cameo_label": cameo_labels()[code],
            "quad_class": _number(values[QUAD_CLASS], "QuadClass", int),
            "goldstein_scale": _number(values[GOLDSTEIN], "GoldsteinScale"),
            "num_mentions": _number(values[MENTIONS], "NumMentions", int),
            "avg_tone": _number(values[TONE], "AvgTone"),
            "date_added": _date_added(added),
        }
        region_id = self._place(batch, values[GEO : GEO + 7])
        if restored:
            self.report.notes["CAMEO codes restored (leading zeros)"] += 1
        if attributes["date_added"] is None and added:
            self.report.notes[f"DATEADDED unreadable ({added!r}), left out"] += 1
        initiator = self._actor(batch, values[ACTOR1 : ACTOR1 + 6])
        target = self._actor(batch, values[ACTOR2 : ACTOR2 + 6])
        label, summary = self._texts(code)
        title = f"{initiator[1]}: {label}" if initiator else label
        if target:
            title = f"{title} → {target[1]}"
        roles = ((initiator[0], "initiator"),) if initiator else ()
        if target:
            roles += ((target[0], "target"),)
        source_id = self._source(batch, source_url(row))
        event_row = (event_id, source_id, title, summary, plover_type(code), "occurred",
                     day, day, "day", values[GEO + 1] or None, attributes)
        batch.events[event_id] = EventRecord(event_row, roles, (region_id,) if region_id else ())
        batch.where[event_id] = f"{self.path}:{row.line}"
        self.seen.add(event_id)

    def _source(self, batch: Batch, value: str | None) -> str:
        source = self.sources.get(value or "")
        if source is None:
            source = self.sources[value or ""] = source_row(value, self.file_source)
        if source[0] not in batch.sources:
            batch.sources[source[0]] = source
        return source[0]
