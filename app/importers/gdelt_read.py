"""Reading GDELT event files in every layout found in the wild, into uniform rows.

Layouts (GDELT's codebooks; see tests/fixtures/gdelt/SOURCES.md for real examples):

- tab-separated, no header, decided per row by its field count: 61 fields is a GDELT 2.0
  export, 58 a 1.0 daily file, 57 the 1.0 historical backfile (no SOURCEURL). A file may
  switch layout partway through (GDELT 1.0 samples do);
- comma-separated with a header, written by R: strings quoted, `NA` for missing values,
  codes with stray leading spaces (" ARM"), sometimes an unnamed row-number first column
  (a row one field longer than the header) or extra trailing columns (`month`);
- semicolon-separated with a header and CRLF, a 2.0 export after a spreadsheet round trip.
  Positions are trusted over its header, whose geo columns are mislabelled.

Rows come out as GdeltRow: the fields the mapping uses, stripped, `NA` made empty. Damage that can be
undone unambiguously is undone and counted in `repairs` (see gdelt_codes); anything else
raises RowError for that row.
"""

import csv
import io
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, NamedTuple

from app.importers.report import RowError

# Field count -> (layout name, first ActionGeo_ field, DATEADDED, SOURCEURL or None)
LAYOUTS = {
    61: ("v2", 51, 59, 60),
    58: ("v1-daily", 49, 56, 57),
    57: ("v1-backfile", 49, 56, None),
}

# Positions in GdeltRow.values of the fields the mapping uses.
ID, DATE = 0, 1
ACTOR1, ACTOR2 = 2, 8  # code, name, country code, type 1, type 2, type 3
EVENT_CODE, BASE_CODE, ROOT_CODE, QUAD_CLASS, GOLDSTEIN, MENTIONS, TONE = range(14, 21)
GEO = 21  # ActionGeo_ type, full name, country, ADM1, lat, long, feature id
DATE_ADDED, SOURCE_URL = 28, 29
_COMMON = (0, 1, 5, 6, 7, 12, 13, 14, 15, 16, 17, 22, 23, 24, 26, 27, 28, 29, 30, 31, 34)


def _picker(geo: int, date_added: int, url: int | None) -> Callable[[list], tuple]:
    # ADM2Code (2.0 only) sits between ADM1Code and Lat, and is skipped.
    geo_fields = (geo, geo + 1, geo + 2, geo + 3, *((geo + 5, geo + 6, geo + 7) if geo == 51 else (geo + 4, geo + 5, geo + 6)))
    return itemgetter(*_COMMON, *geo_fields, date_added, url if url is not None else -1)


_PICKERS = {count: (name, _picker(*rest)) for count, (name, *rest) in LAYOUTS.items()}


class GdeltRow(NamedTuple):
    """The fields the mapping uses (see the positions above), stripped, from any layout."""

    line: int
    layout: str
    values: tuple[str, ...]


def _row(line: int, fields: list[str], headed: bool) -> GdeltRow:
    picked = _PICKERS.get(len(fields))
    if picked is None:
        raise RowError("field-count", f"{len(fields)} fields; a GDELT event row has 57, 58 or 61")
    name, pick = picked
    if name == "v1-backfile":
        fields.append("")  # no SOURCEURL column: picked as empty, see source_url()
    values = pick(fields)
    if headed:  # R writes NA for missing values and keeps stray spaces (" ARM")
        values = tuple(["" if v == "NA" else v.strip() for v in values])
    else:
        values = tuple([v.strip() for v in values])
    return GdeltRow(line, name, values)


def source_url(row: GdeltRow) -> str | None:
    """SOURCEURL, or None for the backfile layout, which has no such column."""
    return None if row.layout == "v1-backfile" else row.values[SOURCE_URL]


def detect(head: bytes) -> str:
    """The file's dialect from its first line: 'tab', 'comma' (R, header) or 'semicolon'."""
    first = head.split(b"\n", 1)[0]
    if first.lstrip(b'"\xef\xbb\xbf').startswith(b"GLOBALEVENTID"):
        return "semicolon" if first.count(b";") > first.count(b",") else "comma"
    return "tab"


def read_rows(stream: BinaryIO, dialect: str) -> Iterator[GdeltRow | tuple[int, RowError]]:
    """Every data row of the stream, or (line, RowError) for a row that cannot be read."""
    if dialect == "tab":
        yield from _tab_rows(stream)
    else:
        yield from _headed_rows(stream, ";" if dialect == "semicolon" else ",")


def _tab_rows(stream: BinaryIO) -> Iterator[GdeltRow | tuple[int, RowError]]:
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, RowError("encoding", f"not UTF-8 ({error.reason} at byte {error.start})")
            continue
        text = text.rstrip("\r\n")
        if not text:
            continue
        try:
            yield _row(number, text.split("\t"), headed=False)
        except RowError as error:
            yield number, error


def _headed_rows(stream: BinaryIO, delimiter: str) -> Iterator[GdeltRow | tuple[int, RowError]]:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        yield from _csv_rows(csv.reader(text, delimiter=delimiter))
    finally:
        text.detach()  # the caller owns the file; a collected wrapper would close it


def _csv_rows(reader: "csv._reader") -> Iterator[GdeltRow | tuple[int, RowError]]:
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        return
    width = _width(header)
    start_line = reader.line_num + 1
    try:
        for values in reader:
            line, start_line = start_line, reader.line_num + 1
            if not values:
                continue
            if len(values) == len(header) + 1:
                values = values[1:]  # R's unnamed row-number column
            if len(values) < width:
                yield line, RowError("field-count", f"{len(values)} fields; the header names {len(header)}")
                continue
            try:
                yield _row(line, values[:width], headed=True)
            except RowError as error:
                yield line, error
    except UnicodeDecodeError as error:
        # A CSV reader cannot resynchronise after bad bytes: the whole file is refused.
        raise RowError("encoding", f"not UTF-8 after line {start_line - 1} ({error.reason})") from None


def _width(header: list[str]) -> int:
    """How many leading columns of a headed file are the GDELT layout (the rest are extras)."""
    if len(header) < 57 or header[0] != "GLOBALEVENTID" or header[26] != "EventCode":
        raise RowError("header", "the header is not a GDELT event header (GLOBALEVENTID ... EventCode ...)")
    if len(header) >= 61 and header[60] == "SOURCEURL":
        return 61
    if len(header) >= 58 and header[57] == "SOURCEURL":
        return 58
    return 57


def open_rows(path: Path) -> tuple[BinaryIO, str]:
    """The file opened for reading, and its dialect."""
    stream = path.open("rb")
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    return stream, detect(head)
