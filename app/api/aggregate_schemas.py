"""Query parameters and response shapes of the aggregates: facets, timeline, network.

The parameter models take exactly the event filters of /events (generated from
EventParams, so a filter added there appears here too) plus their own options. Paging,
sorting and format parameters do not apply to an aggregate, so they are refused as
unknown instead of being silently ignored.
"""

import copy
import dataclasses
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    create_model,
    field_validator,
    model_validator,
)

from app.api.params import MAX_VALUES, EventParams
from app.coding.vocabulary import ActorKind
from app.queries.events import EventFilters
from app.queries.facets import FACETS, FacetName
from app.queries.timeline import MAX_BUCKETS

# The parameters that are event filters are the ones EventFilters has a field for.
FILTER_NAMES = [
    f.name for f in dataclasses.fields(EventFilters) if f.name in EventParams.model_fields
]


class _FilteredParams(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    _events: EventParams = PrivateAttr()

    @model_validator(mode="after")
    def _validate_as_event_params(self) -> "_FilteredParams":
        # EventParams' own validators (date range, bbox, UTC times...) check the filters;
        # their errors surface as this request's 422, with the same locations.
        given = self.model_dump(by_alias=True, exclude_unset=True, include=set(FILTER_NAMES))
        self._events = EventParams.model_validate(given)
        return self

    def event_params(self) -> EventParams:
        """The filters as EventParams, for app.api.routes.events.event_filters."""
        return self._events


def _with_event_filters(name: str, options: type[_FilteredParams]) -> type[_FilteredParams]:
    """`options` followed by every event filter of EventParams, described as on /events."""
    fields: dict[str, Any] = {
        field: (info.annotation, copy.copy(info))
        for field, info in EventParams.model_fields.items()
        if field in FILTER_NAMES
    }
    return create_model(name, __base__=options, __module__=__name__, **fields)


class _FacetOptions(_FilteredParams):
    facet: list[FacetName] = Field(
        list(FACETS),
        min_length=1,
        max_length=MAX_VALUES,
        description="Facets to compute (repeated or comma-separated; all of them when omitted): "
        "type, status, actor, role, region (the event's own), country (ISO code), year (of the "
        "start), precision, source.",
        examples=[["type", "country", "year"]],
    )
    facet_size: int = Field(
        10,
        ge=1,
        le=100,
        description="The commonest values returned per facet, 1 to 100.",
        examples=[5],
    )

    @field_validator("facet", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        values = [value] if isinstance(value, str) else value
        if isinstance(values, list):
            # Comma-separated or repeated, each facet once, in the order asked.
            return list(
                dict.fromkeys(
                    part.strip() for item in values for part in str(item).split(",") if part.strip()
                )
            )
        return value


class _TimelineOptions(_FilteredParams):
    interval: Literal["day", "month", "year"] = Field(
        "month",
        description="Bucket size. An event counts in a bucket only if dated at least this finely.",
        examples=["month"],
    )


FacetParams = _with_event_filters("FacetParams", _FacetOptions)
TimelineParams = _with_event_filters("TimelineParams", _TimelineOptions)
NetworkParams = _with_event_filters("NetworkParams", _FilteredParams)


class FacetValue(BaseModel):
    value: str = Field(
        description="What to filter by: the type, status, actor id, role, region id, ISO code, year, precision or source id.",
        examples=["RU"],
    )
    label: str = Field(
        description="A name to show: the actor's, region's or country's name, the source's title; else the value.",
        examples=["Russia"],
    )
    count: int = Field(
        description="Matching events with this value, each counted once.", examples=[4]
    )


class Facet(BaseModel):
    values: list[FacetValue] = Field(
        description="The `facet_size` commonest values, by count then value."
    )
    distinct: int = Field(
        description='How many distinct values the facet has in all (for "and N more").',
        examples=[8],
    )


class Facets(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total": 25,
                "facets": {
                    "country": {
                        "values": [
                            {"value": "UA", "label": "Ukraine", "count": 6},
                            {"value": "RU", "label": "Russia", "count": 4},
                        ],
                        "distinct": 8,
                    },
                    "year": {
                        "values": [
                            {"value": "2025", "label": "2025", "count": 2},
                            {"value": "1916", "label": "1916", "count": 1},
                            {"value": "2023", "label": "2023", "count": 1},
                        ],
                        "distinct": 3,
                    },
                },
            }
        }
    )

    total: int = Field(description="Events matching the filters.")
    facets: dict[str, Facet] = Field(
        description="One entry per facet asked for, in the order asked."
    )


class TimelineBucket(BaseModel):
    start: str = Field(
        description="The bucket, written at the interval's precision.", examples=["2025-08"]
    )
    count: int = Field(examples=[2])


class Timeline(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "interval": "month",
                "total": 25,
                "buckets": [{"start": "2025-08", "count": 2}],
                "undated": 21,
                "coarser": 2,
            }
        }
    )

    interval: Literal["day", "month", "year"]
    total: int = Field(
        description="Events matching the filters: the buckets' counts + `undated` + `coarser`."
    )
    buckets: list[TimelineBucket] = Field(
        description=f"Consecutive buckets, empty ones included, from the first to the last event (and out to "
        f"`from`/`to` when given); at most {MAX_BUCKETS}."
    )
    undated: int = Field(description="Matching events with no known date.")
    coarser: int = Field(
        description="Matching events dated less finely than the interval (a year-precision event by month)."
    )


class NetworkActor(BaseModel):
    id: str = Field(examples=["donald-trump"])
    name: str = Field(examples=["Donald Trump"])
    kind: ActorKind
    count: int = Field(
        description="Matching events this actor shares with the requested one (for it: all its matching events).",
        examples=[3],
    )
    events: list[str] = Field(
        description="Their ids, sorted.", examples=[["trump-threatens-tariffs"]]
    )


class NetworkEdge(BaseModel):
    actors: list[str] = Field(
        min_length=2,
        max_length=2,
        description="Two co-actors' ids, in id order (undirected).",
        examples=[["anton-siluanov", "kirill-dmitriev"]],
    )
    count: int = Field(
        description="Matching events of the requested actor in which both appear.", examples=[1]
    )
    events: list[str] = Field(examples=[["putin-trump-alaska-summit"]])


class Network(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "actor": {
                    "id": "russia",
                    "name": "Russia",
                    "kind": "state",
                    "count": 4,
                    "events": [
                        "china-supplies-russian-imports",
                        "russia-china-trade-record-2023",
                        "russia-iran-alliance",
                        "russia-seeks-rapprochement-with-us",
                    ],
                },
                "nodes": [
                    {
                        "id": "china",
                        "name": "China",
                        "kind": "state",
                        "count": 2,
                        "events": [
                            "china-supplies-russian-imports",
                            "russia-china-trade-record-2023",
                        ],
                    },
                    {
                        "id": "iran",
                        "name": "Iran",
                        "kind": "state",
                        "count": 1,
                        "events": ["russia-iran-alliance"],
                    },
                ],
                "edges": [],
            }
        }
    )

    actor: NetworkActor = Field(description="The requested actor, with all its matching events.")
    nodes: list[NetworkActor] = Field(description="Co-actors, by shared events then id.")
    edges: list[NetworkEdge] = Field(
        description="Co-actor pairs appearing together, by shared events then ids."
    )
