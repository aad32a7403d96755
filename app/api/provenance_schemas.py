"""Response shapes of the provenance endpoints (mentions, annotated sources), for the OpenAPI description."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas import Ref, SourceDetail, Span, TitledRef
from app.coding.vocabulary import QuoteKind

_BRIEF = {"id": "2025-08-15-putin-trump-alaska-summit", "title": "Putin and Trump Met in Alaska to Broker Ceasefire"}


class MentionContext(BaseModel):
    """The sentence around the mention (a window of about 80 characters either side when the sentence is long)."""

    text: str = Field(
        description="The sentence, without paragraph bullets; never crosses a line break.",
        examples=[
            (
                "In Syria, the collapse of the Assad government eliminated one of Moscow’s last major "
                "footholds in the Middle East."
            )
        ],
    )
    offset: int = Field(description="Where the mention starts inside `text`.", examples=[65])


class Mention(BaseModel):
    """One place where a source names the actor or region, found by one of its aliases."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "source": _BRIEF,
                "alias": "Putin",
                "span": {"start": 711, "end": 716},
                "context": {
                    "text": "Putin proposed freezing the current front lines if Ukraine ceded control of Donetsk, "
                    "an offer Zelenskyy rejected.",
                    "offset": 0,
                },
                "links": {"source": "/api/v1/sources/2025-08-15-putin-trump-alaska-summit"},
            }
        }
    )

    source: TitledRef
    alias: str = Field(description="The alias found, exactly as written in the text.", examples=["Putin"])
    span: Span = Field(description="Where the alias stands: `source.text[span.start:span.end] == alias`.")
    context: MentionContext
    links: dict[str, str]


class QuoteAnnotation(BaseModel):
    id: str = Field(examples=["summit-details"])
    kind: QuoteKind
    speaker: Ref | None = Field(description="Who spoke, for a statement.")
    span: Span


class MentionAnnotation(BaseModel):
    type: Literal["actor", "region"] = Field(description="What the mention names.")
    id: str = Field(examples=["vladimir-putin"])
    name: str = Field(examples=["Vladimir Putin"])
    alias: str = Field(examples=["Putin"])
    span: Span


class Annotations(BaseModel):
    """Everything needed to mark up the text, each list in document order."""

    quotes: list[QuoteAnnotation] = Field(description="Every quote of the source, by where it starts.")
    mentions: list[MentionAnnotation] = Field(
        description="Every mention of an actor or region, by where it starts; an actor and a region "
        "named by the same words (\"Russia\") both appear, actor first."
    )


class AnnotatedSourceDetail(SourceDetail):
    annotations: Annotations | None = Field(None, description="Present only with `annotate=true`.")
