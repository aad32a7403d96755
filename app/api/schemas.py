"""Response shapes, for the OpenAPI description. Handlers return ready JSON; these document it."""

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.coding.vocabulary import (
    ActorKind,
    ActorRole,
    DatePrecision,
    EventStatus,
    EventType,
    QuoteKind,
    RegionKind,
)

Item = TypeVar("Item")


class Match(BaseModel):
    """Where a search matched a record: about 20 words of one field around the first match."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"field": "alias", "snippet": "Moscow", "offsets": [[0, 6]]}}
    )

    field: Literal["title", "summary", "evidence", "text", "name", "alias"] = Field(
        description="The field: an event's `title`, `summary` or `evidence` (one of its quotes); a quote's "
        "`text`; an actor's or region's `name` or `alias`."
    )
    snippet: str = Field(description="The field's text around the first match; `…` marks where it was cut.")
    offsets: list[tuple[int, int]] = Field(
        description="`[start, end]` code-point offsets of each match in `snippet` (`snippet[start:end]`), "
        "to emphasise without parsing markup."
    )


class Matched(BaseModel):
    match: Match | None = Field(None, description="Present when `q` is given: where the search matched.")


class Ref(BaseModel):
    id: str
    name: str


class TitledRef(BaseModel):
    id: str
    title: str


class ActorInEvent(Ref):
    role: ActorRole


class Span(BaseModel):
    """Code-point offsets into the source text: `source.text[start:end]`."""

    start: int
    end: int


class EventDate(BaseModel):
    """Written at its own precision: "2025-08-15", "2025-08" or "2023"; null when unknown."""

    start: str | None = Field(examples=["2025-08-15"])
    end: str | None = Field(description="Null for an ongoing event with no known end.", examples=["2025-08-15"])
    precision: DatePrecision


class Figure(BaseModel):
    value: float = Field(examples=[240000000000])
    unit: str = Field(examples=["USD"])
    text: str = Field(description="The source's own wording.", examples=["$240 billion"])
    span: Span


class QuoteInEvent(BaseModel):
    id: str
    text: str
    kind: QuoteKind
    speaker: Ref | None
    span: Span


class EventDetail(BaseModel):
    """An event with everything it has: its actors, regions, figures, evidence and citation."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "putin-trump-alaska-summit",
                "title": "Putin and Trump meet in Alaska",
                "summary": "Vladimir Putin and Donald Trump met for about three hours ...",
                "type": "CONSULT",
                "status": "occurred",
                "date": {"start": "2025-08-15", "end": "2025-08-15", "precision": "day"},
                "location": "Joint Base Elmendorf-Richardson, Anchorage, Alaska",
                "actors": [{"id": "vladimir-putin", "name": "Vladimir Putin", "role": "participant"}],
                "regions": [{"id": "joint-base-elmendorf-richardson", "name": "Joint Base Elmendorf-Richardson"}],
                "figures": [{"value": 3, "unit": "hours", "text": "roughly three hours", "span": {"start": 437, "end": 456}}],
                "source": {"id": "2025-08-15-putin-trump-alaska-summit", "title": "Putin and Trump Met in Alaska to Broker Ceasefire"},
                "links": {"self": "/api/v1/events/putin-trump-alaska-summit"},
            }
        }
    )

    id: str
    title: str
    summary: str
    type: EventType = Field(description="PLOVER event type.")
    status: EventStatus
    date: EventDate
    location: str | None
    actors: list[ActorInEvent]
    regions: list[Ref]
    figures: list[Figure]
    source: TitledRef
    quotes: list[QuoteInEvent] = Field(description="The evidence: verbatim spans of the source.")
    citation: "Citation"
    countries: list[str] | None = Field(None, description="With include=countries: ISO codes of its countries.")
    point: "Point | None" = Field(None, description="With include=point: where its finest located region is.")
    match: Match | None = Field(None, description="Present when `q` is given: where the search matched.")
    links: dict[str, str]


class Citation(BaseModel):
    """How to cite an event: its source and the spans that support it, and a printable line."""

    source: dict
    spans: list[Span]
    text: str = Field(examples=["“Putin and Trump Met in Alaska to Broker Ceasefire”, n.d. Evidence at characters 271–431."])


class Point(BaseModel):
    lon: float
    lat: float
    region: dict = Field(description="The region whose coordinates these are: {id, kind}.")


EventDetail.model_rebuild()

# An event in a list: `fields` keeps only the members it names (and `id`), and `include`
# chooses the embeds, so in a list every member but `id` may be left out.
Event = create_model(
    "Event",
    __base__=EventDetail,
    __doc__="An event in a list: every member but `id` is there unless `fields` or `include` leave it out.",
    __module__=__name__,
    **{
        name: (info.annotation, Field(None, description=info.description, examples=info.examples))
        for name, info in EventDetail.model_fields.items()
        if name != "id"
    },
)


class Quote(BaseModel):
    id: str
    text: str
    kind: QuoteKind
    speaker: Ref | None = Field(description="Who spoke, for a statement.")
    source: TitledRef
    span: Span
    events: list[TitledRef]
    links: dict[str, str]


class Actor(BaseModel):
    id: str = Field(examples=["vladimir-putin"])
    name: str = Field(examples=["Vladimir Putin"])
    kind: ActorKind
    aliases: list[str] = Field(examples=[["Vladimir Putin", "Putin"]])
    description: str
    affiliation: Ref | None
    links: dict[str, str]


class Region(BaseModel):
    id: str = Field(examples=["anchorage"])
    name: str = Field(examples=["Anchorage"])
    kind: RegionKind
    iso_code: str | None = Field(description="ISO 3166-1 alpha-2 (country) or ISO 3166-2 (subdivision).")
    aliases: list[str]
    description: str | None
    parent: Ref | None
    path: list[Ref] = Field(description="Ancestors from the top of the hierarchy down to the parent.")
    lat: float | None
    lon: float | None
    links: dict[str, str]


class RegionDetail(Region):
    children: list[Ref]


class Source(BaseModel):
    id: str
    title: str
    publisher: str | None
    published_date: str | None
    url: str | None
    file_name: str
    sha256: str = Field(description="SHA-256 of the UTF-8 text.")
    length: int = Field(description="Length of the text in code points.")
    event_count: int
    quote_count: int
    links: dict[str, str]


class SourceDetail(Source):
    text: str = Field(description="The whole document; every span indexes into it.")


class ListMeta(BaseModel):
    limit: int
    next_cursor: str | None
    total: int | None = Field(None, description="Present when count=true.")


class ListLinks(BaseModel):
    self: str
    next: str | None


class ListOf(BaseModel, Generic[Item]):
    data: list[Item]
    meta: ListMeta
    links: ListLinks


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    database: str = Field(description="The database engine.", examples=["sqlite"])
    schema_revision: str | None


class ProblemDetails(BaseModel):
    """RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field(examples=["/problems/not-found"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No event with id 'nope'."])
    instance: str = Field(examples=["/api/v1/events/nope"])
    errors: list[dict] | None = Field(None, description="For invalid-parameters: one entry per problem.")
