"""Reading coding files and documents from disk, refusing what cannot be read cleanly."""

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.coding.problems import CodingError, CodingProblem, from_validation_error

MAX_FILE_BYTES = 20 * 1024 * 1024

Model = TypeVar("Model", bound=BaseModel)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so the models check them against a precision."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path, *, shown_as: str | None = None) -> str:
    """A document's text: UTF-8, not empty, not enormous."""
    name = shown_as or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CodingError([CodingProblem(name, f"cannot be read ({error.strerror})")]) from None
    if not data.strip():
        raise CodingError([CodingProblem(name, "is empty")])
    if len(data) > MAX_FILE_BYTES:
        raise CodingError([CodingProblem(name, f"is larger than {MAX_FILE_BYTES} bytes")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"is not UTF-8 (byte {error.start}: {data[error.start:error.start + 1]!r})"
        raise CodingError([CodingProblem(name, reason)]) from None


def read_coding(path: Path, model: type[Model], *, shown_as: str | None = None) -> Model:
    """Parse a YAML coding file and validate it against `model`."""
    name = shown_as or str(path)
    text = read_text(path, shown_as=name)
    try:
        raw: Any = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise CodingError([CodingProblem(name, f"is not valid YAML: {error.problem}", where)]) from None
    if not isinstance(raw, dict):
        raise CodingError([CodingProblem(name, "must be a YAML mapping at the top level")])
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise CodingError(from_validation_error(name, error, raw)) from None
