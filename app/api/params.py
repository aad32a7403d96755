"""Query parameters of the list endpoints, as models: unknown parameters are refused (422)."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.coding.vocabulary import ActorRole, EventStatus, EventType

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]

MAX_VALUES = 100
"""The most values a list parameter takes: more is a 422, not thousands of SQL parameters."""

_ISO_DATE_START = re.compile(r"[0-9]{4}-")


def _iso_only(value: object) -> object:
    # pydantic reads a bare number as a Unix time ("20250801" is 1970-08-23): refuse it.
    if isinstance(value, str) and not _ISO_DATE_START.match(value):
        raise ValueError("expected an ISO 8601 date such as 2025-08-15 (or a date-time such as 2025-08-15T12:00:00Z)")
    return value


def _as_utc(value: datetime) -> datetime:
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00:00-05:00 is past the last representable instant
        raise ValueError("date-time is out of range once converted to UTC") from None


IsoDate = Annotated[date, BeforeValidator(_iso_only)]
UtcDateTime = Annotated[datetime, BeforeValidator(_iso_only), AfterValidator(_as_utc)]
"""An ISO 8601 date-time, in UTC (UTC assumed when it has no offset)."""


Count = Literal["none", "exact", "estimated"]
# Spellings of `count` that mean exact or none; the OpenAPI lists them with the rest.
_COUNT_ALIASES = {"true": "exact", "1": "exact", "false": "none", "0": "none"}


class ListParams(BaseModel):
    # A misspelt filter must not silently return everything.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    limit: int = Field(50, ge=1, le=500, description="Page size, 1 to 500.", examples=[50])
    cursor: str | None = Field(None, description="`meta.next_cursor` of the previous page.")
    count: Count = Field(
        "none",
        description="Add `meta.total`: `exact`, or `estimated` (bounded time on any size; "
        "`meta.total_exact` says which you got). `true`/`false` mean exact/none.",
        examples=["exact"],
        json_schema_extra={"enum": ["none", "exact", "estimated", *_COUNT_ALIASES]},
    )
    updated_since: UtcDateTime | None = Field(
        None,
        description="Only records created or changed after this instant (ISO 8601; UTC if no offset).",
        examples=["2026-01-01T00:00:00Z"],
    )

    @field_validator("count", mode="before")
    @classmethod
    def _count_aliases(cls, value: object) -> object:
        return _COUNT_ALIASES.get(value, value) if isinstance(value, str) else value


EVENT_FIELDS = (
    "id", "title", "summary", "type", "status", "date", "location", "source",
    "actors", "regions", "figures", "quotes", "citation", "countries", "point", "match", "links",
)


def _comma_list(value: object) -> object:
    """`a,b` and repeated parameters both give a list."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [part.strip() for item in value for part in str(item).split(",") if part.strip()]
    return value


class EventParams(ListParams):
    """Filters combine with AND; a repeated parameter matches any of its values."""

    actor: list[Id] = Field(
        [], max_length=MAX_VALUES, description="Actor id: the event involves this actor.", examples=[["vladimir-putin"]]
    )
    affiliated: bool = Field(False, description="With `actor`: also match everyone affiliated with it, however indirectly.")
    role: list[ActorRole] = Field(
        [], max_length=MAX_VALUES, description="With `actor`, the role it plays; alone, events with an actor in this role."
    )
    region: list[Id] = Field(
        [], max_length=MAX_VALUES, description="Region id: the event is in it or anywhere inside it.", examples=[["alaska"]]
    )
    country: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]] = Field(
        [], max_length=MAX_VALUES, description="ISO 3166-1 alpha-2 code of a country the event lies in.",
        examples=[["US"]],
    )
    bbox: str | None = Field(
        None,
        description="min_lon,min_lat,max_lon,max_lat (WGS 84): events with a located region inside the box.",
        examples=["-170,50,-130,72"],
    )
    type: list[EventType] = Field(
        [], max_length=MAX_VALUES, description="PLOVER event type.", examples=[["CONSULT", "AGREE"]]
    )
    status: list[EventStatus] = Field([], max_length=MAX_VALUES, examples=[["occurred"]])
    source: list[Id] = Field(
        [], max_length=MAX_VALUES, description="Source id.", examples=[["2025-08-15-putin-trump-alaska-summit"]]
    )
    date_from: IsoDate | None = Field(None, alias="from", description="Start of the date range (ISO date).", examples=["2025-08-01"])
    date_to: IsoDate | None = Field(None, alias="to", description="End of the date range (ISO date).", examples=["2025-08-31"])
    date_match: Literal["overlaps", "within"] = Field(
        "overlaps", description="`overlaps`: the days an event covers touch the range; `within`: they lie wholly inside it."
    )
    precision: Literal["day", "month", "year"] | None = Field(
        None, description="Only events dated at least this finely (day < month < year)."
    )
    q: str | None = Field(
        None, min_length=1, max_length=200, description='Search title, summary and evidence quotes: words, "phrases", prefix*.',
        examples=["peace deal"],
    )
    sort: str = Field(
        "-date",
        max_length=200,
        description="Comma-separated keys, `-` for descending: date, end, title, type, status, id, updated, "
        "relevance (with q; best first). Undated events come last either way; id breaks ties.",
        examples=["-date,title"],
    )
    fields: list[str] = Field(
        [],
        max_length=MAX_VALUES,
        description="Only these members of each event (comma-separated or repeated); `id` always.",
        examples=[["id", "title", "date"]],
    )
    include: list[str] | None = Field(
        None,
        max_length=MAX_VALUES,
        description="Embeds to fetch, replacing the default (actors, regions, figures, quotes, citation); "
        "also `countries` and `point`. Empty for none.",
        examples=[["actors", "quotes"]],
    )
    format: Literal["json", "ndjson", "csv", "geojson"] | None = Field(
        None, description="Response format, overriding the Accept header. Non-JSON formats stream every match."
    )

    _lists = field_validator("fields", "include", mode="before")(_comma_list)

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in EVENT_FIELDS]
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; choose from {', '.join(EVENT_FIELDS)}")
        return value

    @field_validator("include")
    @classmethod
    def _known_embeds(cls, value: list[str] | None) -> list[str] | None:
        allowed = ("actors", "regions", "figures", "quotes", "citation", "countries", "point")
        unknown = [name for name in value or [] if name not in allowed]
        if unknown:
            raise ValueError(f"unknown embed(s) {', '.join(unknown)}; choose from {', '.join(allowed)}")
        return value

    @field_validator("bbox")
    @classmethod
    def _bbox(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            min_lon, min_lat, max_lon, max_lat = (float(part) for part in value.split(","))
        except ValueError:
            raise ValueError("bbox is four numbers: min_lon,min_lat,max_lon,max_lat") from None
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise ValueError("bbox needs -180 <= lon <= 180 and -90 <= min_lat <= max_lat <= 90")
        return value

    @model_validator(mode="after")
    def _range(self) -> "EventParams":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("`from` is after `to`")
        if self.affiliated and not self.actor:
            raise ValueError("`affiliated` needs `actor`")
        return self

    def bbox_values(self) -> tuple[float, float, float, float] | None:
        """The parsed bounding box."""
        if self.bbox is None:
            return None
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in self.bbox.split(","))
        return min_lon, min_lat, max_lon, max_lat
