"""Why an edit was refused, in words a curator can act on; the HTTP layer picks the status."""

from app.coding.problems import CodingProblem


class EditError(Exception):
    """An edit that was refused; nothing was written."""


class NotFound(EditError):
    """No record of this kind has this id."""

    def __init__(self, kind: str, record_id: str):
        self.kind, self.record_id = kind, record_id
        super().__init__(f"No {kind} with id {record_id!r}.")


class Conflict(EditError):
    """The edit contradicts what the database holds: a taken id, a record owned by a coding
    file or an import, or records that depend on the one to delete."""


class Invalid(EditError):
    """The record as it would be breaks a rule; `errors` are (location, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{location}: {message}" for location, message in errors))


class InvalidCoding(EditError):
    """A document coding with problems, each naming its entry and field, as `geoevents seed` reports them."""

    def __init__(self, problems: list[CodingProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))
