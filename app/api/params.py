"""Query parameters of the list endpoints, as models: unknown parameters are refused (422)."""

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.coding.vocabulary import EventStatus, EventType

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]


class ListParams(BaseModel):
    # A misspelt filter must not silently return everything.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    limit: int = Field(50, ge=1, le=500, description="Page size, 1 to 500.", examples=[50])
    cursor: str | None = Field(None, description="`meta.next_cursor` of the previous page.")
    count: bool = Field(False, description="Add `meta.total`, the number of matching rows.")
    updated_since: datetime | None = Field(
        None,
        description="Only records created or changed after this instant (ISO 8601; UTC if no offset).",
        examples=["2026-01-01T00:00:00Z"],
    )

    @field_validator("updated_since")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EventParams(ListParams):
    """Filters combine with AND; a repeated parameter matches any of its values."""

    actor: list[Id] = Field([], description="Actor id; the event involves this actor.", examples=[["vladimir-putin"]])
    region: list[Id] = Field([], description="Region id; the event is in it or anywhere inside it.", examples=[["alaska"]])
    type: list[EventType] = Field([], description="PLOVER event type.", examples=[["CONSULT", "AGREE"]])
    status: list[EventStatus] = Field([], examples=[["occurred"]])
    source: list[Id] = Field([], description="Source id.", examples=[["2025-08-15-putin-trump-alaska-summit"]])
    date_from: date | None = Field(None, alias="from", description="Events whose dates reach this day or later.", examples=["2025-08-01"])
    date_to: date | None = Field(None, alias="to", description="Events whose dates start this day or earlier.", examples=["2025-08-31"])
    q: str | None = Field(None, min_length=1, max_length=200, description="Words that must all appear in title or summary.", examples=["peace deal"])
    sort: Literal["-date", "date"] = Field("-date", description="By date, newest first (`-date`) or oldest first; undated events last.")

    @model_validator(mode="after")
    def _range(self) -> "EventParams":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("`from` is after `to`")
        return self
