"""What the aggregates (facets, timeline) share: dates written as text at a precision, in SQL."""

from typing import Any, Literal

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

Interval = Literal["day", "month", "year"]


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
