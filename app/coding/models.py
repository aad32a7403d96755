"""Pydantic models of the two coding files: the shared reference and one document's coding.

These models are the format's definition: `geoevents schema` prints their JSON Schema and
tests keep the published copy under seeds/schema/ in step with them.
"""

from datetime import date
from typing import Annotated, Any

import pycountry
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.coding.dates import covered_days
from app.coding.vocabulary import (
    ActorKind,
    ActorRole,
    DatePrecision,
    EventStatus,
    EventType,
    QuoteKind,
    RegionKind,
)

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=100),
    Field(description="Stable identifier: lowercase words joined by hyphens, never reused."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    # Unknown keys are typos until proven otherwise: refuse them.
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class ActorCoding(_Strict):
    """A person, state, organisation or group that documents name."""

    id: Slug
    name: Text
    kind: ActorKind
    aliases: list[Text] = Field(
        default_factory=list, description="Every form the documents use for this actor."
    )
    description: Text
    affiliation: Slug | None = Field(None, description="The actor this one belongs to or serves.")


class RegionCoding(_Strict):
    """A place in the hierarchy: world region > country > subdivision > city > site."""

    id: Slug
    name: Text
    kind: RegionKind
    aliases: list[Text] = Field(default_factory=list)
    description: Text | None = None
    parent: Slug | None = None
    iso_code: str | None = Field(
        None, description="ISO 3166-1 alpha-2 for a country, ISO 3166-2 for a subdivision."
    )
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)

    @model_validator(mode="after")
    def _check_iso_code(self) -> "RegionCoding":
        if self.kind is RegionKind.COUNTRY:
            if self.iso_code is None:
                raise ValueError("a country needs its ISO 3166-1 alpha-2 iso_code")
            if pycountry.countries.get(alpha_2=self.iso_code) is None:
                raise ValueError(f"iso_code {self.iso_code!r} is not an ISO 3166-1 alpha-2 code")
        elif self.kind is RegionKind.SUBDIVISION:
            if self.iso_code is not None and pycountry.subdivisions.get(code=self.iso_code) is None:
                raise ValueError(f"iso_code {self.iso_code!r} is not an ISO 3166-2 code")
        elif self.iso_code is not None:
            raise ValueError(f"a {self.kind.value} has no ISO 3166 code")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together")
        return self


class ReferenceCoding(_Strict):
    """Actors and regions that every document shares (seeds/reference.yaml)."""

    actors: list[ActorCoding]
    regions: list[RegionCoding]


class DateCoding(_Strict):
    """When an event happened, written no finer than the source says."""

    precision: DatePrecision
    start: str | None = Field(None, description="YYYY-MM-DD, YYYY-MM or YYYY, matching precision.")
    end: str | None = Field(
        None, description="Same form as start; defaults to start. Omit for an open ongoing event."
    )

    @field_validator("start", "end", mode="before")
    @classmethod
    def _years_as_text(cls, value: Any) -> Any:
        # YAML reads a bare 2023 as a number.
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _check(self) -> "DateCoding":
        if self.precision is DatePrecision.UNKNOWN:
            if self.start is not None or self.end is not None:
                raise ValueError("an unknown date has no start or end")
            return self
        if self.start is None:
            raise ValueError(f"a date of precision {self.precision.value!r} needs a start")
        first, _ = covered_days(self.start, self.precision)
        if self.end is not None:
            _, last = covered_days(self.end, self.precision)
            if last < first:
                raise ValueError(f"end {self.end!r} is before start {self.start!r}")
        return self

    def bounds(self, *, open_ended: bool) -> tuple[date | None, date | None]:
        """First and last covered day; the end is None when open-ended with no end given."""
        if self.start is None:
            return None, None
        first, last = covered_days(self.start, self.precision)
        if self.end is not None:
            last = covered_days(self.end, self.precision)[1]
        elif open_ended:
            return first, None
        return first, last


class EventActorCoding(_Strict):
    id: Slug
    role: ActorRole


class FigureCoding(_Strict):
    """A number the source gives, with its exact wording (found in the event's quotes)."""

    value: float
    unit: Text = Field(description="e.g. USD, percent, hours, days")
    text: Text = Field(description='Verbatim, e.g. "$240 billion".')


class EventCoding(_Strict):
    id: Slug
    title: Text
    summary: Text = Field(description="In the coder's own words.")
    type: EventType
    status: EventStatus
    date: DateCoding
    location: Text | None = None
    actors: list[EventActorCoding] = Field(default_factory=list)
    regions: list[Slug] = Field(default_factory=list)
    figures: list[FigureCoding] = Field(default_factory=list)
    quotes: list[Slug] = Field(min_length=1, description="Evidence: ids of this document's quotes.")


class QuoteCoding(_Strict):
    """A verbatim span of the document; the loader finds where it stands."""

    id: Slug
    kind: QuoteKind
    text: Annotated[str, StringConstraints(min_length=1)]
    speaker: Slug | None = Field(None, description="Required for a statement, absent otherwise.")

    @model_validator(mode="after")
    def _check_speaker(self) -> "QuoteCoding":
        if self.kind is QuoteKind.STATEMENT and self.speaker is None:
            raise ValueError("a statement needs its speaker")
        if self.kind is not QuoteKind.STATEMENT and self.speaker is not None:
            raise ValueError(f"an {self.kind.value} has no speaker; use kind statement")
        return self


class SourceCoding(_Strict):
    id: Slug
    title: Text
    file: Text = Field(description="The document's file name, beside the coding file.")
    publisher: Text | None = None
    published: date | None = None
    url: Text | None = None


class DocumentCoding(_Strict):
    """One source document's coding: what it reports, and the words that show it."""

    source: SourceCoding
    quotes: list[QuoteCoding]
    events: list[EventCoding]
