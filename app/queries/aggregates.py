"""What the aggregates share: their intervals, and a year written as text in SQL (the year facet)."""

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


# The formats are written into the SQL, not bound: PostgreSQL only matches a SELECT
# expression with its GROUP BY twin when both are textually equal, and bound parameters
# would get different placeholders.
def _sqlite(element: _DateText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('{element.sqlite_format}', {compiler.process(element.clauses, **kw)})"


def _postgresql(element: _DateText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, '{element.postgresql_format}')"


compiles(YearText, "sqlite")(_sqlite)
compiles(YearText, "postgresql")(_postgresql)
