"""What each line of an export must hold to be imported: one strict model per line type.

Every member is required (an export writes them all, null where empty) and nothing else is
allowed, so a truncated or hand-edited line is refused with the field named. The limits
are the schema's (app.tables): a line that passes fits its table.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    model_validator,
)

from app.coding.vocabulary import (
    ActorKind,
    ActorRole,
    DatePrecision,
    EventStatus,
    EventType,
    QuoteKind,
)
from app.tables import ORIGINS, SLUG
from app.transfer.records import FORMAT, RECORD_TYPES, VERSION

RecordId = Annotated[str, StringConstraints(min_length=1, max_length=SLUG)]
Origin = Literal[ORIGINS]  # type: ignore[valid-type]
Offset = Annotated[int, Field(ge=0)]
Alias = Annotated[str, StringConstraints(min_length=1)]


class _Line(BaseModel):
    # Enums are kept as their values: rows go to the database as plain strings.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_enum_values=True)


class _Record(_Line):
    id: RecordId
    origin: Origin
    created_at: AwareDatetime
    updated_at: AwareDatetime


def _no_repeats(values: list, what: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"lists {what} {value!r} twice")
        seen.add(value)


class Counts(_Line):
    source: int = Field(ge=0)
    actor: int = Field(ge=0)
    region: int = Field(ge=0)
    quote: int = Field(ge=0)
    event: int = Field(ge=0)
    change: int = Field(ge=0)


class HeaderLine(_Line):
    type: Literal["header"]
    format: Literal[FORMAT]  # type: ignore[valid-type]
    version: Literal[VERSION]  # type: ignore[valid-type]
    schema_revision: str | None
    exported_at: AwareDatetime
    counts: Counts


class SourceLine(_Record):
    type: Literal["source"]
    title: str
    publisher: str | None
    published_date: date | None
    url: str | None
    file_name: str
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    text: str


class ActorLine(_Record):
    type: Literal["actor"]
    name: str
    kind: ActorKind
    description: str
    affiliation_id: RecordId | None
    code: Annotated[str, StringConstraints(max_length=40)] | None
    country_code: Annotated[str, StringConstraints(max_length=3)] | None
    aliases: list[Alias]

    @model_validator(mode="after")
    def _aliases_once(self) -> "ActorLine":
        _no_repeats(self.aliases, "alias")
        return self


class RegionLine(_Record):
    type: Literal["region"]
    name: str
    kind: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    description: str | None
    iso_code: Annotated[str, StringConstraints(max_length=10)] | None
    parent_id: RecordId | None
    lat: Annotated[float, Field(ge=-90, le=90)] | None
    lon: Annotated[float, Field(ge=-180, le=180)] | None
    external_id: Annotated[str, StringConstraints(max_length=64)] | None
    aliases: list[Alias]

    @model_validator(mode="after")
    def _aliases_once(self) -> "RegionLine":
        _no_repeats(self.aliases, "alias")
        return self


class QuoteLine(_Record):
    type: Literal["quote"]
    source_id: RecordId
    kind: QuoteKind
    text: Annotated[str, StringConstraints(min_length=1)]
    speaker_id: RecordId | None
    span_start: Offset
    span_end: Offset

    @model_validator(mode="after")
    def _span_fits_text(self) -> "QuoteLine":
        if self.span_end - self.span_start != len(self.text):
            raise ValueError(f"span {self.span_start}-{self.span_end} is not as long as the text ({len(self.text)})")
        return self


class EventActor(_Line):
    actor_id: RecordId
    role: ActorRole


class Figure(_Line):
    value: float
    unit: str
    text: str
    span_start: Offset
    span_end: Offset


class EventLine(_Record):
    type: Literal["event"]
    source_id: RecordId
    title: str
    summary: str
    event_type: EventType
    status: EventStatus
    start_date: date | None
    end_date: date | None
    date_precision: DatePrecision
    location: str | None
    attributes: JsonValue
    actors: list[EventActor]
    regions: list[RecordId]
    quotes: list[RecordId]
    figures: list[Figure]

    @model_validator(mode="after")
    def _consistent(self) -> "EventLine":
        unknown = self.date_precision == DatePrecision.UNKNOWN
        if unknown != (self.start_date is None):
            raise ValueError("start_date must be null exactly when date_precision is 'unknown'")
        if unknown and self.end_date is not None:
            raise ValueError("an event of unknown date has no end_date")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        _no_repeats([f"{a.actor_id} as {a.role}" for a in self.actors], "actor")
        _no_repeats(self.regions, "region")
        _no_repeats(self.quotes, "quote")
        for figure in self.figures:
            if figure.span_end - figure.span_start != len(figure.text):
                raise ValueError(f"figure {figure.text!r}: span is not as long as its text")
        return self


class ChangeLine(_Line):
    type: Literal["change"]
    seq: int = Field(ge=1)
    record_type: Literal[RECORD_TYPES[:-1]]  # type: ignore[valid-type]
    record_id: RecordId
    op: Literal["created", "updated", "deleted"]
    changed_at: AwareDatetime
    changed_by: Annotated[str, StringConstraints(max_length=100)] | None


MODELS: dict[str, type[_Line]] = {
    "header": HeaderLine,
    "source": SourceLine,
    "actor": ActorLine,
    "region": RegionLine,
    "quote": QuoteLine,
    "event": EventLine,
    "change": ChangeLine,
}
