"""What the aggregates (facets, timeline, network) share: the matching events and date text.

Each aggregate joins its grouping tables onto `matching_events(filters)`, a derived table
of the events every /events filter keeps. Keeping the filter conditions inside that
derived table means their correlated EXISTS subqueries (on event_actor, event_region...)
can never be correlated with the tables an aggregate joins for its own GROUP BY.
"""

from typing import Any, Literal

from sqlalchemy import String, Subquery, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.queries.events import EventFilters, conditions
from app.tables import event

Interval = Literal["day", "month", "year"]


def matching_events(filters: EventFilters) -> Subquery:
    """The events matching `filters`, with the columns aggregates group by, as a derived table."""
    return (
        select(
            event.c.id,
            event.c.type,
            event.c.status,
            event.c.date_precision,
            event.c.start_date,
            event.c.source_id,
        )
        .where(*conditions(filters))
        .subquery("matching")
    )


class _DateText(FunctionElement[str]):
    """A date written at a precision, like the API writes dates: "2025", "2025-08", "2025-08-15"."""

    type = String()
    inherit_cache = True
    sqlite_format = ""
    postgresql_format = ""


class YearText(_DateText):
    inherit_cache = True
    sqlite_format, postgresql_format = "%Y", "YYYY"


class MonthText(_DateText):
    inherit_cache = True
    sqlite_format, postgresql_format = "%Y-%m", "YYYY-MM"


class DayText(_DateText):
    inherit_cache = True
    sqlite_format, postgresql_format = "%Y-%m-%d", "YYYY-MM-DD"


# The formats are written into the SQL, not bound: PostgreSQL only matches a SELECT
# expression with its GROUP BY twin when both are textually equal, and bound parameters
# would get different placeholders.
def _sqlite(element: _DateText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('{element.sqlite_format}', {compiler.process(element.clauses, **kw)})"


def _postgresql(element: _DateText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, '{element.postgresql_format}')"


for _class in (YearText, MonthText, DayText):
    compiles(_class, "sqlite")(_sqlite)
    compiles(_class, "postgresql")(_postgresql)

DATE_TEXT: dict[Interval, type[_DateText]] = {"year": YearText, "month": MonthText, "day": DayText}
