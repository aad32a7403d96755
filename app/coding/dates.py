"""Dates with a precision: "2025-08-15" (day), "2025-08" (month), "2023" (year).

A coded date is stored as the first and last day it covers, so range filters are plain
comparisons, and printed back at its own precision, so no day is ever invented.
"""

import calendar
import re
from datetime import date

from app.coding.vocabulary import DatePrecision

_PATTERNS = {
    DatePrecision.DAY: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    DatePrecision.MONTH: re.compile(r"^(\d{4})-(\d{2})$"),
    DatePrecision.YEAR: re.compile(r"^(\d{4})$"),
}
_EXAMPLES = {
    DatePrecision.DAY: "YYYY-MM-DD",
    DatePrecision.MONTH: "YYYY-MM",
    DatePrecision.YEAR: "YYYY",
}


def covered_days(value: str, precision: DatePrecision) -> tuple[date, date]:
    """The first and last day a date written at `precision` covers; ValueError if malformed."""
    pattern = _PATTERNS.get(precision)
    if pattern is None:
        raise ValueError(f"a date of precision {precision.value!r} has no value")
    match = pattern.match(value)
    if match is None:
        raise ValueError(
            f"{value!r} does not match precision {precision.value!r} "
            f"(expected {_EXAMPLES[precision]})"
        )
    parts = [int(group) for group in match.groups()]
    year = parts[0]
    try:
        if precision is DatePrecision.YEAR:
            return date(year, 1, 1), date(year, 12, 31)
        month = parts[1]
        if precision is DatePrecision.MONTH:
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return date(year, month, 1), date(year, month, last)
        day = date(year, month, parts[2])
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real date ({error})") from None
    return day, day


def format_at(day: date | None, precision: str) -> str | None:
    """Write a stored day back at the precision it was coded with."""
    if day is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{day.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
