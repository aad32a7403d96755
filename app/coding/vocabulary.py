"""Controlled vocabularies shared by the coding format, the database and the API."""

from enum import StrEnum


class ActorKind(StrEnum):
    PERSON = "person"
    STATE = "state"
    ORGANIZATION = "organization"
    GROUP = "group"


class RegionKind(StrEnum):
    WORLD_REGION = "world_region"
    COUNTRY = "country"
    SUBDIVISION = "subdivision"
    CITY = "city"
    SITE = "site"
    ROUTE = "route"


class EventType(StrEnum):
    """The sixteen PLOVER event types."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class EventStatus(StrEnum):
    OCCURRED = "occurred"
    ONGOING = "ongoing"
    PLANNED = "planned"
    PROPOSED = "proposed"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


class ActorRole(StrEnum):
    INITIATOR = "initiator"
    TARGET = "target"
    PARTICIPANT = "participant"


class QuoteKind(StrEnum):
    STATEMENT = "statement"
    EXCERPT = "excerpt"
    ANALYSIS = "analysis"
