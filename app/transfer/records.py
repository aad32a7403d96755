"""The JSON Lines export format (version 1): which line types exist, in which order, with what.

Line 1 is a header; then one line per record, each an object whose `type` says what it is,
in dependency order, so a reader can stream the file and find every record a line refers to
on an earlier line: sources, actors (an affiliation before the actors affiliated with it),
regions (a parent before its children), quotes, events, and the change feed. A record line
carries its table's columns under their own names, plus the rows that belong to it alone
as lists in order (an actor's `aliases`, an event's `actors`, `regions`, `quotes` and
`figures`). Derived data (region ancestors, the full-text index, mentions) is left out and
rebuilt on import; API tokens are never exported.
"""

from app import tables

FORMAT = "geoevents-jsonl"
VERSION = 1

# Line types in the order an export writes them and an import requires them.
RECORD_TYPES = ("source", "actor", "region", "quote", "event", "change")

TABLES = {name: tables.metadata.tables[name] for name in RECORD_TYPES}

# `type` names the kind of line, so the event column of that name is written as `event_type`.
RENAMED = {("event", "type"): "event_type"}

# Child tables folded into their record's line: member name, table, the column pointing at
# the record, and the columns kept (a list of plain values when only one).
CHILDREN = {
    "actor": [("aliases", "actor_alias", "actor_id", ("alias",))],
    "region": [("aliases", "region_alias", "region_id", ("alias",))],
    "event": [
        ("actors", "event_actor", "event_id", ("actor_id", "role")),
        ("regions", "event_region", "event_id", ("region_id",)),
        ("quotes", "event_quote", "event_id", ("quote_id",)),
        ("figures", "figure", "event_id", ("value", "unit", "text", "span_start", "span_end")),
    ],
}

# A column pointing at a record of the same table: the export orders such records so the
# one pointed at always comes first.
SELF_REFERENCES = {"actor": "affiliation_id", "region": "parent_id"}


def member(record_type: str, column: str) -> str:
    """The line member that holds `column` of `record_type`."""
    return RENAMED.get((record_type, column), column)


def column_members(record_type: str) -> list[tuple[str, str]]:
    """(column, member) for every column of the record's own table."""
    # str(): column names are quoted_name, a str subclass orjson refuses as a key.
    return [(str(c.name), member(record_type, str(c.name))) for c in TABLES[record_type].c]
