"""The database schema as SQLAlchemy Core tables: the single definition migrations mirror.

Table names are singular lower_snake; timestamps end in `_at`, dates in `_date`. Every
constraint and index is named (see NAMING) so migrations can refer to them on both engines.
"""

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

SLUG = 100


def _timestamps() -> list[Column]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    ]


ORIGINS = ("seed", "api", "import")


def _origin() -> Column:
    # Who owns a record decides who may prune it: a re-seed deletes only what seeding made,
    # never records created through the API or by an importer.
    return Column("origin", String(10), nullable=False, server_default="seed")


source = Table(
    "source",
    metadata,
    Column("id", String(SLUG), primary_key=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text),
    Column("published_date", Date),
    Column("url", Text),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("text", Text, nullable=False),
    _origin(),
    *_timestamps(),
)

actor = Table(
    "actor",
    metadata,
    Column("id", String(SLUG), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("description", Text, nullable=False),
    Column("affiliation_id", String(SLUG), ForeignKey("actor.id", ondelete="SET NULL")),
    # An external coding of the actor (a CAMEO actor code such as USAGOV) and its country
    # as that coding gives it (CAMEO/ISO 3166-1 alpha-3), for imported data.
    Column("code", String(40)),
    Column("country_code", String(3)),
    _origin(),
    *_timestamps(),
    CheckConstraint("kind IN ('person', 'state', 'organization', 'group')", name="kind"),
)

actor_alias = Table(
    "actor_alias",
    metadata,
    Column("actor_id", String(SLUG), ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("position", Integer, nullable=False),
)

region = Table(
    "region",
    metadata,
    Column("id", String(SLUG), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("description", Text),
    Column("iso_code", String(10)),
    Column("parent_id", String(SLUG), ForeignKey("region.id", ondelete="RESTRICT")),
    Column("lat", Float),
    Column("lon", Float),
    # An identifier in an external gazetteer (a GDELT FeatureID, a GeoNames id), for imports.
    Column("external_id", String(64)),
    _origin(),
    *_timestamps(),
    Index(None, "parent_id"),
)

region_alias = Table(
    "region_alias",
    metadata,
    Column("region_id", String(SLUG), ForeignKey("region.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("position", Integer, nullable=False),
)

# Closure of the region hierarchy (every region is its own ancestor at depth 0), so
# "events in this region or anywhere inside it" is one indexed join on either engine.
region_ancestor = Table(
    "region_ancestor",
    metadata,
    Column("region_id", String(SLUG), ForeignKey("region.id", ondelete="CASCADE"), primary_key=True),
    Column("ancestor_id", String(SLUG), ForeignKey("region.id", ondelete="CASCADE"), primary_key=True),
    Column("depth", Integer, nullable=False),
    Index(None, "ancestor_id", "region_id"),
)

event = Table(
    "event",
    metadata,
    Column("id", String(SLUG), primary_key=True),
    Column("source_id", String(SLUG), ForeignKey("source.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("type", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    # The first and last day the date covers ("2023" covers 2023-01-01..2023-12-31); both
    # NULL when the date is unknown, end NULL when an ongoing event has no known end.
    Column("start_date", Date),
    Column("end_date", Date),
    Column("date_precision", String(10), nullable=False),
    Column("location", Text),
    # Dataset-specific codes an importer keeps (CAMEO code and label, Goldstein, tone...).
    Column("attributes", JSON),
    _origin(),
    *_timestamps(),
    CheckConstraint("date_precision IN ('day', 'month', 'year', 'unknown')", name="date_precision"),
    CheckConstraint("status IN ('occurred', 'ongoing', 'planned', 'proposed')", name="status"),
    Index(None, "start_date", "id"),
    # Covers the timeline's GROUP BY (precision, start) and the date filters (migration 0005).
    Index(None, "date_precision", "start_date", "end_date"),
    Index(None, "source_id"),
)

event_actor = Table(
    "event_actor",
    metadata,
    Column("event_id", String(SLUG), ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", String(SLUG), ForeignKey("actor.id", ondelete="RESTRICT"), primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("position", Integer, nullable=False),
    CheckConstraint("role IN ('initiator', 'target', 'participant')", name="role"),
    Index(None, "actor_id", "event_id"),
)

event_region = Table(
    "event_region",
    metadata,
    Column("event_id", String(SLUG), ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", String(SLUG), ForeignKey("region.id", ondelete="RESTRICT"), primary_key=True),
    Column("position", Integer, nullable=False),
    Index(None, "region_id", "event_id"),
)

quote = Table(
    "quote",
    metadata,
    Column("id", String(SLUG), primary_key=True),
    Column("source_id", String(SLUG), ForeignKey("source.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("speaker_id", String(SLUG), ForeignKey("actor.id", ondelete="RESTRICT")),
    # Python code-point offsets: source.text[span_start:span_end] == quote.text.
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    _origin(),
    *_timestamps(),
    CheckConstraint("kind IN ('statement', 'excerpt', 'analysis')", name="kind"),
    CheckConstraint("span_start >= 0 AND span_end > span_start", name="span"),
    Index(None, "source_id", "span_start"),
    Index(None, "speaker_id"),
)

event_quote = Table(
    "event_quote",
    metadata,
    Column("event_id", String(SLUG), ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("quote_id", String(SLUG), ForeignKey("quote.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    Index(None, "quote_id", "event_id"),
)

figure = Table(
    "figure",
    metadata,
    Column("event_id", String(SLUG), ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("value", Float, nullable=False),
    Column("unit", Text, nullable=False),
    Column("text", Text, nullable=False),
    # Where `text` stands in the event's source document, like a quote's span.
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
)

# The change feed: one row per record created, updated or deleted, in commit order. Its
# highest seq is the data version that ETags are made from.
change = Table(
    "change",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("record_type", String(20), nullable=False),
    Column("record_id", String(SLUG), nullable=False),
    Column("op", String(10), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    # Who made the change: "seed", "import", or the name of the API token that wrote it.
    Column("changed_by", String(100)),
    CheckConstraint("op IN ('created', 'updated', 'deleted')", name="op"),
    CheckConstraint("record_type IN ('source', 'actor', 'region', 'quote', 'event')", name="record_type"),
    Index(None, "record_type", "record_id"),
)

# Where a coded actor or region is named in a source, found by its aliases (word-bounded).
mention = Table(
    "mention",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(SLUG), ForeignKey("source.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", String(SLUG), ForeignKey("actor.id", ondelete="CASCADE")),
    Column("region_id", String(SLUG), ForeignKey("region.id", ondelete="CASCADE")),
    Column("alias", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    CheckConstraint("(actor_id IS NULL) <> (region_id IS NULL)", name="one_target"),
    Index(None, "source_id", "span_start"),
    Index(None, "actor_id"),
    Index(None, "region_id"),
)

# Bearer tokens for the editing API. Only a salted hash is kept; the token itself is shown
# once, when it is created. `prefix` lets a curator recognise a token without revealing it.
api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("scope", String(10), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("salt", String(64), nullable=False),
    Column("hash", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    CheckConstraint("scope IN ('read', 'write', 'admin')", name="scope"),
)
