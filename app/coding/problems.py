"""What is wrong with a coding, said so a curator can find it: file, entry, field, reason."""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class CodingProblem:
    file: str
    reason: str
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.entry:
            where += f": {self.entry}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.reason}"


class CodingError(Exception):
    """One or more problems; nothing was written."""

    def __init__(self, problems: list[CodingProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def entry_name(section: str, index: int, raw: Any) -> str:
    """`events[3] 'alaska-summit'`: the list position a curator counts and the id they search."""
    name = f"{section}[{index}]"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        name += f" {raw['id']!r}"
    return name


def from_validation_error(file: str, error: ValidationError, raw: Any) -> list[CodingProblem]:
    """Turn pydantic's errors into problems that name the entry by position and id."""
    problems = []
    for item in error.errors(include_url=False):
        loc = list(item["loc"])
        entry = None
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            section_raw = raw.get(loc[0]) if isinstance(raw, dict) else None
            entry_raw = section_raw[loc[1]] if isinstance(section_raw, list) else None
            entry = entry_name(loc[0], loc[1], entry_raw)
            loc = loc[2:]
        elif loc and isinstance(loc[0], str) and loc[0] == "source":
            entry, loc = "source", loc[1:]
        field = ".".join(str(part) for part in loc) or None
        reason = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            reason = "unknown field (a typo?)"
        problems.append(CodingProblem(file=file, entry=entry, field=field, reason=reason))
    return problems
