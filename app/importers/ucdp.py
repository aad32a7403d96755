"""UCDP GED CSV -> batches of imported records (see README, "Importing real data").

One row is one event `ucdp-<id>`, type ASSAULT (every GED event is lethal organised
violence), side_a as initiator and side_b as target (actors `ucdp-actor-<new id>`).

Dates: GED gives a first and last day and `date_prec` (1 exact day; 2 within 2-6 days;
3 the week; 4 within 8-30 days or the month; 5 more than a month, or the year). The event
keeps exactly that range, never a narrower one, at the coarsest precision that writes both
ends exactly: whole calendar years (1 Jan to 31 Dec) are year precision, whole months
(1994-07-01 to 1994-07-31, or 1999-06-01 to 1999-12-31) month precision, anything else day
precision from date_start to date_end. `date_prec` itself is kept in the attributes.

Places (`where_prec`: 1 exact, 2 within ~25 km of a named point, 3 second-order division,
4 first-order division, 5 a larger or linear area, 6 the country, 7 international waters or
airspace): country (by Gleditsch & Ward number, data/gwno_iso.tsv) > adm_1 (subdivision
`ucdp-<iso>-<adm_1>`) > the named point where_coordinates (city for 1-2, subdivision for 3,
site for 5 and 7); for 4 the event is in the adm_1 region, for 6 in the country. The
coordinates are GED's, so they locate whichever of these is the event's region.
where_description, the coder's own words, is the event's location text.

Deaths: the best estimate is the event's figure; low, high and the per-side counts are
attributes. The source is the event's own document (app.importers.ucdp_text).
"""

import calendar
import csv
import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from sqlalchemy import Connection

from app.importers.lookups import countries, country_by_name, gwno_to_iso
from app.importers.places import CountryRegions
from app.importers.records import Batch, EventRecord, sha256_text, short_hash, slug
from app.importers.report import FileReport, RowError
from app.importers.ucdp_text import deaths, document

COLUMNS = (
    "id", "relid", "type_of_violence", "conflict_name", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id",
    "side_b", "source_article", "source_office", "source_headline", "where_prec", "where_coordinates",
    "where_description", "adm_1", "latitude", "longitude", "country", "country_id", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
    "gwnoa", "gwnob",
)
VIOLENCE = {"1": "state-based armed conflict", "2": "non-state conflict", "3": "one-sided violence"}
_PLACE_KIND = {"1": "city", "2": "city", "3": "subdivision", "5": "site", "7": "site"}
PUBLISHER = "Uppsala Conflict Data Program"


def _int(row: dict, field: str) -> int:
    try:
        return int(row[field])
    except ValueError:
        raise RowError("bad-number", f"{field} {row[field]!r} is not a whole number") from None


def _day(row: dict, field: str) -> date:
    value = row[field][:10]
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError("bad-date", f"{field} {row[field]!r} is not a date (YYYY-MM-DD)") from None


def dated(start: date, end: date) -> tuple[date, date, str]:
    """(start, end, precision) for a GED date range, never narrower than the range."""
    if end < start:
        raise RowError("bad-date", f"date_end {end} is before date_start {start}")
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if whole_months and (start.month, end.month) == (1, 12):
        return start, end, "year"
    if whole_months:
        return start, end, "month"
    return start, end, "day"


def _iso_alpha3(gwno: str) -> str | None:
    iso = gwno_to_iso().get(gwno.strip())
    return countries()[iso].iso3 if iso else None


class UcdpFile:
    """Turns one GED CSV file into batches; the caller decides what a bad row does."""

    def __init__(self, path: Path, connection: Connection, report: FileReport):
        self.path, self.report = path, report
        self.countries = CountryRegions(connection)
        self.seen: set[str] = set()

    def batches(self, chunk: int, bad_row: Callable[[int, RowError], None],
                progress: Callable[[int], None]) -> Iterator[Batch]:
        """Batches of about `chunk` events, in file order."""
        with self.path.open("rb") as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
            reader = csv.DictReader(text)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RowError("header", f"not a UCDP GED file: no column {', '.join(missing)}")
            batch, line = Batch(), reader.line_num + 1
            for row in reader:
                self.report.rows += 1
                try:
                    self._add(batch, row, line)
                except RowError as error:
                    bad_row(line, error)
                line = reader.line_num + 1
                if len(batch) >= chunk:
                    progress(stream.tell())
                    yield batch
                    batch = Batch()
            if batch.events:
                yield batch
            progress(stream.tell())
            text.detach()

    def _actor(self, batch: Batch, row: dict, side: str) -> str:
        name, number = row[f"side_{side}"].strip(), row[f"side_{side}_new_id"].strip()
        actor_id = f"ucdp-actor-{number}" if number.isdigit() else f"ucdp-actor-{slug(name)}-{short_hash(name, length=8)}"
        kind = "state" if name.startswith("Government of") else "group"
        gwno = row[f"gwno{side}"]
        description = f"Side {side.upper()} of UCDP GED dyads (UCDP actor {number or 'without a number'})."
        batch.add_actor((actor_id, name, kind, description, None, number or None,
                         _iso_alpha3(gwno) if gwno and "," not in gwno else None), [name])
        return actor_id

    def _place(self, batch: Batch, row: dict) -> str | None:
        where_prec = row["where_prec"]
        lat = float(row["latitude"]) if row["latitude"] else None
        lon = float(row["longitude"]) if row["longitude"] else None
        iso = gwno_to_iso().get(row["country_id"]) or country_by_name().get(row["country"])
        parent = None
        if iso is not None:
            here = where_prec == "6"
            parent = self.countries.region_id(batch, iso, lat=lat if here else None, lon=lon if here else None)
        if where_prec == "6":
            return parent
        code = (iso or "xx").lower()
        adm1 = row["adm_1"].strip() or (row["where_coordinates"].strip() if where_prec == "4" else "")
        if adm1:
            here = where_prec == "4"
            adm1_id = f"ucdp-{code}-{slug(adm1) or short_hash(adm1, length=8)}"
            batch.add_region((adm1_id, adm1, "subdivision", None, None, parent,
                              lat if here else None, lon if here else None, None))
            parent = adm1_id
            if here:
                return adm1_id
        name = row["where_coordinates"].strip() or row["where_description"].strip()
        if not name:
            return parent
        digest = short_hash(code, adm1, name, row["latitude"], row["longitude"], length=8)
        place_id = f"ucdp-{code}-{slug(name, 50) or 'place'}-{digest}"
        batch.add_region((place_id, name, _PLACE_KIND.get(where_prec, "site"), None, None, parent, lat, lon, None))
        return place_id

    def _add(self, batch: Batch, row: dict, line: int) -> None:
        if not row["id"].isdigit():
            raise RowError("bad-id", f"id {row['id']!r} is not a number")
        event_id = f"ucdp-{row['id']}"
        if event_id in self.seen:
            self.report.problem(line, "duplicate-id", f"{event_id} appears twice in this file; kept the first")
            return
        for field, allowed in (("date_prec", "12345"), ("where_prec", "1234567"), ("type_of_violence", "123")):
            if row[field] not in allowed or len(row[field]) != 1:
                raise RowError(f"bad-{field.replace('_', '-')}", f"{field} {row[field]!r} is not one of {', '.join(allowed)}")
        for side in ("a", "b"):
            if not row[f"side_{side}"].strip():
                raise RowError("bad-actor", f"side_{side} is empty")
        start, end, precision = dated(_day(row, "date_start"), _day(row, "date_end"))
        counts = {f: _int(row, f) for f in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
                                            "best", "low", "high")}
        try:
            region_id = self._place(batch, row)
        except ValueError:
            raise RowError("bad-coordinates", f"latitude/longitude {row['latitude']!r}, {row['longitude']!r} "
                           "are not numbers") from None
        side_a, side_b = self._actor(batch, row, "a"), self._actor(batch, row, "b")
        doc = document(row["source_headline"], row["source_article"], counts["best"], counts["low"], counts["high"])
        source_id = f"{event_id}-source"
        offices = "; ".join(o.strip() for o in row["source_office"].split(";") if o.strip())
        title = f"UCDP GED event {row['id']}" + (f": {offices}" if offices else "")
        batch.sources[source_id] = (source_id, title, PUBLISHER, None, None, self.path.name, sha256_text(doc.text),
                                    doc.text)
        quote_ids: list[str] = []
        numbers: dict[str, int] = {}
        for excerpt in doc.excerpts:
            numbers[excerpt.field] = numbers.get(excerpt.field, 0) + 1
            quote_id = f"{event_id}-{excerpt.field}-{numbers[excerpt.field]}"
            batch.quotes[quote_id] = (quote_id, source_id, "excerpt", excerpt.text, None, excerpt.start, excerpt.end)
            quote_ids.append(quote_id)
        violence = VIOLENCE[row["type_of_violence"]]
        place = row["where_coordinates"].strip()
        where = " ".join(row["where_description"].split())
        headline = f"{row['side_a'].strip()} – {row['side_b'].strip()}: {deaths(counts['best'])}"
        summary = (f"UCDP GED, {violence} ({row['conflict_name'].strip()}): best estimate {deaths(counts['best'])} "
                   f"(low {counts['low']}, high {counts['high']})" + (f", {where}." if where else "."))
        attributes = {"dataset": "ucdp", "relid": row["relid"], "type_of_violence": int(row["type_of_violence"]),
                      "conflict_name": row["conflict_name"], "dyad_name": row["dyad_name"],
                      "date_prec": int(row["date_prec"]), "where_prec": int(row["where_prec"]),
                      "event_clarity": int(row["event_clarity"]) if row["event_clarity"].isdigit() else None,
                      **counts}
        event_row = (event_id, source_id, headline + (f" in {place}" if place else ""), summary, "ASSAULT",
                     "occurred", start, end, precision, where or None, attributes)
        figure = (float(counts["best"]), "deaths", doc.figure_text, doc.figure_start, doc.figure_end)
        batch.events[event_id] = EventRecord(event_row, ((side_a, "initiator"), (side_b, "target")),
                                             (region_id,) if region_id else (), tuple(quote_ids), (figure,))
        batch.where[event_id] = f"{self.path}:{line}"
        self.seen.add(event_id)
