"""What the editing API accepts: the coding format's own models, plus where a record belongs.

A record sent to the API obeys exactly the rules of its entry in a coding file, so these
extend app.coding.models rather than restate them. JSON is typed where YAML is not: a
number must be a JSON number (not `true`), a date or a dated value a JSON string (not the
integer YAML makes of `2023`), as the OpenAPI description says.
"""

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict, StringConstraints, field_validator

from app.coding.models import (
    ActorCoding,
    DateCoding,
    DocumentCoding,
    EventCoding,
    FigureCoding,
    QuoteCoding,
    RegionCoding,
    Slug,
    SourceCoding,
    Text,
)


def _string(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise ValueError("Input should be a valid string")
    return value


Number = Annotated[float, Strict()]
JsonDate = Annotated[date, BeforeValidator(_string)]
# An alias is part of its table's primary key, and PostgreSQL indexes at most ~2700 bytes.
Alias = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ActorInput(ActorCoding):
    """An actor: the fields and rules of an entry under `actors` in seeds/reference.yaml."""

    aliases: list[Alias] = Field(default_factory=list, description="Every form the documents use for this actor.")


class RegionInput(RegionCoding):
    """A region: the fields and rules of an entry under `regions` in seeds/reference.yaml."""

    aliases: list[Alias] = Field(default_factory=list, description="Every form the documents use for this region.")
    lat: Number | None = Field(None, ge=-90, le=90)
    lon: Number | None = Field(None, ge=-180, le=180)


class QuoteInput(QuoteCoding):
    """A verbatim span of a source made through the API; its offsets are found in the source's text."""

    source: Slug = Field(description="The source (made through the API) whose text holds the quote.")


class DateInput(DateCoding):
    """When an event happened, written no finer than the source says: JSON strings only."""

    @field_validator("start", "end", mode="before")
    @classmethod
    def _years_as_text(cls, value: Any) -> Any:
        # Overrides the coding's, which turns YAML's integer years into text.
        return _string(value)


class FigureInput(FigureCoding):
    """A number the source gives (a JSON number), with its exact wording."""

    value: Number


class EventEntry(EventCoding):
    """An event as an entry of a document coding."""

    date: DateInput
    figures: list[FigureInput] = Field(default_factory=list)


class EventInput(EventEntry):
    """An event of a source made through the API, with at least one evidence quote of that source."""

    source: Slug = Field(description="The source (made through the API) whose quotes are the evidence.")


class SourceInput(SourceCoding):
    """A document's `source` entry; `file` only names it, since the API receives the text itself."""

    file: Text | None = Field(None, description="A file name for the text (default: `<id>.txt`).")
    published: JsonDate | None = None


class DocumentInput(DocumentCoding):
    """A document coding as in seeds/: its source, its quotes and its events."""

    source: SourceInput
    events: list[EventEntry]
