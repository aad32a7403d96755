"""`geoevents import jsonl FILE`: an export read back into an empty database, all or nothing.

The file is streamed: each line is validated (app.transfer.import_models), checked against
the lines before it (ids used once, every reference to an earlier line) and written in
batches, all in one write transaction. Problems name the line and the field; up to
MAX_PROBLEMS are collected before giving up, and any problem means nothing is written.
At the end the counts are compared with the header (a file cut short is refused), every
span is checked against its source's text, and the derived data (region ancestors,
full-text index, mentions) is rebuilt by the loader's own code.
"""

import hashlib
from datetime import UTC, datetime
from typing import Any, BinaryIO

import orjson
from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import DataError

from app import tables
from app.coding.problems import CodingError, CodingProblem
from app.database import take_turns_writing, write_transaction
from app.loader import derived
from app.loader.changes import Changes
from app.loader.write import rebuild_region_closure
from app.transfer import import_checks
from app.transfer.import_models import MODELS, HeaderLine
from app.transfer.records import CHILDREN, FORMAT, RECORD_TYPES, VERSION, column_members

MAX_PROBLEMS = 20
BATCH = 500

# What each reference member of a line must point at: an earlier line of this type.
REFERENCES = {
    "actor": {"affiliation_id": "actor"},
    "region": {"parent_id": "region"},
    "quote": {"source_id": "source", "speaker_id": "actor"},
    "event": {"source_id": "source"},
}
EVENT_LISTS = {"actors": ("actor", "actor_id"), "regions": ("region", None), "quotes": ("quote", None)}


def import_jsonl(engine: Engine, stream: BinaryIO, name: str) -> dict[str, int]:
    """Read an export into the empty database at `engine`; returns how many lines of each type."""
    try:
        with write_transaction(engine) as connection:
            take_turns_writing(connection)
            import_checks.refuse_non_empty(connection)
            importer = Importer(connection, name)
            for number, raw in enumerate(stream, start=1):
                importer.read(number, raw)
            importer.finish()
            return importer.counts
    except DataError as error:
        # What the checks above cannot foresee, such as a NUL character PostgreSQL will not store.
        raise CodingError([CodingProblem(name, f"the database refused the data: {error.orig}")]) from None


class Importer:
    """The state of one import: where it is in the file, the ids seen, rows not yet written."""

    def __init__(self, connection: Connection, name: str):
        self.connection, self.name = connection, name
        self.problems: list[CodingProblem] = []
        self.header: HeaderLine | None = None
        self.section = 0
        self.lines_of: dict[str, dict[str, int]] = {record_type: {} for record_type in RECORD_TYPES}
        self.counts = dict.fromkeys(RECORD_TYPES, 0)
        self.last_seq = 0
        self.pending: dict[str, list[dict]] = {}

    def problem(self, number: int | None, reason: str, entry: str | None = None, field: str | None = None) -> None:
        """Note a problem; give up once there are too many to read on."""
        where = f"{self.name}:{number}" if number is not None else self.name
        self.problems.append(CodingProblem(where, reason, entry, field))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(CodingProblem(self.name, f"stopped after {MAX_PROBLEMS} problems"))
            raise CodingError(self.problems)

    def read(self, number: int, raw: bytes) -> None:
        """Validate one line and queue its rows."""
        raw = raw.rstrip(b"\r\n")
        line_type = self._line_type(number, raw)
        if line_type is None:
            return self._require_header() if number == 1 else None
        try:
            line = MODELS[line_type].model_validate_json(raw)
        except ValidationError as error:
            parsed = orjson.loads(raw)
            if isinstance(parsed.get("id"), str) and line_type in self.lines_of:
                # Known by its id, so the lines citing it are not reported as well.
                self.lines_of[line_type].setdefault(parsed["id"], number)
            entry = _entry(line_type, parsed)
            for item in error.errors(include_url=False):
                self.problem(number, _reason(line_type, item), entry, ".".join(map(str, item["loc"])) or None)
            return self._require_header() if number == 1 else None
        if isinstance(line, HeaderLine):
            self.header = line
            return
        self._check(number, line_type, line)

    def _require_header(self) -> None:
        # Without a header there is no telling what the file is: reading on would only
        # bury that one problem under consequences of it.
        if self.header is None:
            raise CodingError(self.problems)

    def _line_type(self, number: int, raw: bytes) -> str | None:
        """The line's type, if the line is a JSON object of a known type in its place."""
        if not raw.strip():
            return self.problem(number, "empty line")
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            return self.problem(number, _not_json(raw, error))
        line_type = parsed.get("type") if isinstance(parsed, dict) else None
        if not isinstance(parsed, dict):
            return self.problem(number, "not a JSON object")
        if not isinstance(line_type, str) or line_type not in MODELS:
            known = ", ".join(MODELS)
            return self.problem(number, f"unknown type {line_type!r}: one of {known}", None, "type")
        if (number == 1) != (line_type == "header"):
            reason = ("not a geoevents export: the first line must be its header"
                      if number == 1 else "a second header")
            return self.problem(number, reason, None, "type")
        if line_type != "header":
            position = RECORD_TYPES.index(line_type)
            if position < self.section:
                order = ", ".join(f"{t}s" for t in RECORD_TYPES)
                after = RECORD_TYPES[self.section]
                return self.problem(number, f"{_a(line_type)} {line_type} line after {after} lines: an export lists "
                                    f"{order}, in that order", _entry(line_type, parsed), "type")
            if position > self.section:
                self._flush()
                self.section = position
        return line_type

    def _check(self, number: int, line_type: str, line: BaseModel) -> None:
        record_id = line.seq if line_type == "change" else line.id
        entry = f"{line_type} {record_id!r}"
        seen = self.lines_of[line_type]
        before = len(self.problems)
        if record_id in seen and line_type != "change":
            self.problem(number, f"id {record_id!r} is already used on line {seen[record_id]}", entry, "id")
        for field, target in REFERENCES.get(line_type, {}).items():
            self._refer(number, entry, field, getattr(line, field), target)
        if line_type == "event":
            for member, (target, key) in EVENT_LISTS.items():
                for index, item in enumerate(getattr(line, member)):
                    value = getattr(item, key) if key else item
                    self._refer(number, entry, f"{member}.{index}" + (f".{key}" if key else ""), value, target)
        if line_type == "source" and hashlib.sha256(line.text.encode()).hexdigest() != line.sha256:
            self.problem(number, "does not match the text (was the text changed or cut?)", entry, "sha256")
        if line_type == "change":
            if line.seq <= self.last_seq:
                self.problem(number, f"seq {line.seq} does not follow {self.last_seq}", entry, "seq")
            self.last_seq = max(self.last_seq, line.seq)
        if line_type != "change":
            seen.setdefault(record_id, number)
        self.counts[line_type] += 1
        if len(self.problems) == before and not self.problems:
            self._queue(line_type, line)

    def _refer(self, number: int, entry: str, field: str, value: str | None, target: str) -> None:
        if value is not None and value not in self.lines_of[target]:
            self.problem(number, f"unknown {target} {value!r} (a record must come after every record it refers to)",
                         entry, field)

    def _queue(self, line_type: str, line: BaseModel) -> None:
        values = line.model_dump()
        row = {column: _stored(values[member]) for column, member in column_members(line_type)}
        self.pending.setdefault(line_type, []).append(row)
        for member, table_name, key, kept in CHILDREN.get(line_type, []):
            for position, item in enumerate(values[member]):
                child = dict(zip(kept, [item], strict=True)) if len(kept) == 1 else dict(item)
                self.pending.setdefault(table_name, []).append({key: line.id, "position": position, **child})
        if len(self.pending[line_type]) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write the queued rows, records before the child rows that point at them."""
        for name in list(self.pending):
            rows = self.pending.pop(name)
            if rows:
                self.connection.execute(insert(tables.metadata.tables[name]), rows)

    def finish(self) -> None:
        """Check the file against its header and its spans, then rebuild the derived data."""
        if self.header is None:
            self.problem(None, "is empty: an export has at least its header line")
        if self.problems:
            raise CodingError(self.problems)
        # Compared only for a file without other problems, where a difference means lines are missing.
        for line_type, announced in self.header.counts.model_dump().items():
            if self.counts[line_type] != announced:
                cut = " (is the file cut short?)" if self.counts[line_type] < announced else ""
                self.problem(None, f"the header announces {announced} {line_type} line(s), "
                             f"the file has {self.counts[line_type]}{cut}")
        if self.problems:
            raise CodingError(self.problems)
        self._flush()
        for number, reason, entry, field in import_checks.bad_spans(self.connection, self.lines_of):
            self.problem(number, reason, entry, field)
        if self.problems:
            raise CodingError(self.problems)
        self._rebuild_derived()

    def _rebuild_derived(self) -> None:
        rebuild_region_closure(self.connection)
        changes = Changes()
        for record_type in RECORD_TYPES[:-1]:
            changes.record(record_type, "created", list(self.lines_of[record_type]))
        derived.refresh(self.connection, changes)
        if self.connection.dialect.name == "postgresql" and self.last_seq:
            # The feed's seqs were written as they were; new changes must follow the last.
            self.connection.execute(select(func.setval(func.pg_get_serial_sequence("change", "seq"), self.last_seq)))


def _entry(line_type: str, values: Any) -> str:
    """`event 'putin-trump-alaska-summit'`: the record a problem is about."""
    key = "seq" if line_type == "change" else "id"
    if isinstance(values, dict) and isinstance(values.get(key), str | int):
        return f"{line_type} {values[key]!r}"
    return line_type


def _not_json(raw: bytes, error: orjson.JSONDecodeError) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"is not UTF-8: byte {raw[bad.start]:#04x} at byte {bad.start + 1}"
    return f"not valid JSON: {error.msg} at character {error.pos + 1}"


def _a(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _reason(line_type: str, item: dict) -> str:
    if line_type == "header" and item["loc"] == ("format",):
        return f"not a geoevents export: the format must be {FORMAT!r}"
    if line_type == "header" and item["loc"] == ("version",):
        return f"format version {item['input']!r} is not one this geoevents reads ({VERSION})"
    if item["type"] == "extra_forbidden":
        return "unknown member (a typo?)"
    if item["type"] == "missing":
        return "missing (an export writes every member, null where empty)"
    return item["msg"].removeprefix("Value error, ")


def _stored(value: Any) -> Any:
    # Timestamps are stored in UTC, as every writer stores them.
    return value.astimezone(UTC) if isinstance(value, datetime) else value
