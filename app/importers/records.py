"""What an importer hands the bulk writer: rows as tuples in fixed column orders, per table.

Tuples, not dicts, because a million events make every per-row cost count. Values are
Python-typed (dates as `date`, attributes as dicts); app.importers.sql adapts them per
engine. Every record an importer writes has origin 'import'.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, NamedTuple

SOURCE_COLUMNS = ("id", "title", "publisher", "published_date", "url", "file_name", "sha256", "text")
ACTOR_COLUMNS = ("id", "name", "kind", "description", "affiliation_id", "code", "country_code")
REGION_COLUMNS = ("id", "name", "kind", "description", "iso_code", "parent_id", "lat", "lon", "external_id")
QUOTE_COLUMNS = ("id", "source_id", "kind", "text", "speaker_id", "span_start", "span_end")
EVENT_COLUMNS = (
    "id", "source_id", "title", "summary", "type", "status", "start_date", "end_date",
    "date_precision", "location", "attributes",
)
COLUMNS = {
    "source": SOURCE_COLUMNS,
    "actor": ACTOR_COLUMNS,
    "region": REGION_COLUMNS,
    "quote": QUOTE_COLUMNS,
    "event": EVENT_COLUMNS,
}
# Columns of a shared record (an actor or region many rows name) that a later import may fill
# when they are still empty; nothing else about a stored actor or region is ever overwritten.
FILLABLE = {
    "actor": ("affiliation_id", "code", "country_code"),
    "region": ("description", "iso_code", "external_id", ("lat", "lon")),
}

Row = tuple[Any, ...]
Figure = tuple[float, str, str, int, int]  # value, unit, text, span_start, span_end


class EventRecord(NamedTuple):
    """An event row and the rows that belong to it alone."""

    row: Row
    actors: tuple[tuple[str, str], ...] = ()  # (actor id, role), in position order
    regions: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()

    def signature(self) -> tuple:
        """Everything a re-import compares, the id aside."""
        return (self.row[1:], self.actors, self.regions, self.quotes, self.figures)


@dataclass
class Batch:
    """Records of one chunk of input, parents before children, by table and id."""

    sources: dict[str, Row] = field(default_factory=dict)
    actors: dict[str, Row] = field(default_factory=dict)
    actor_aliases: dict[str, list[str]] = field(default_factory=dict)
    regions: dict[str, Row] = field(default_factory=dict)
    region_aliases: dict[str, list[str]] = field(default_factory=dict)
    quotes: dict[str, Row] = field(default_factory=dict)
    events: dict[str, EventRecord] = field(default_factory=dict)
    # Where each event came from ("file:line"), for problems found only when writing.
    where: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.events)

    def add_region(self, row: Row, aliases: list[str] | None = None) -> None:
        """Add a region, or fill the empty columns of the one already in the batch."""
        stored = self.regions.get(row[0])
        if stored is None:
            self.regions[row[0]] = row
            if aliases:
                self.region_aliases[row[0]] = aliases
        elif stored is not row and None in stored:
            merged = tuple(old if old is not None else new for old, new in zip(stored, row))
            if merged != stored:
                self.regions[row[0]] = merged

    def add_actor(self, row: Row, aliases: list[str] | None = None) -> None:
        """Add an actor unless the batch has it (first wins, like the database)."""
        if row[0] not in self.actors:
            self.actors[row[0]] = row
            if aliases:
                self.actor_aliases[row[0]] = aliases


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(text: str, limit: int = 60) -> str:
    """Lower-case ASCII words joined by hyphens: "Şırnak province" -> "sirnak-province"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-")


def short_hash(*parts: str, length: int = 12) -> str:
    """A stable hexadecimal digest of `parts`, for ids that must not collide."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def sha256_text(text: str) -> str:
    """SHA-256 of the UTF-8 text, as the source table stores it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


EMPTY_SHA256 = sha256_text("")
