"""Shared checks of an edit's body: a merge patch's form, and pydantic errors as locations."""

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.editing.errors import Invalid
from app.editing.merge import merge_patch

Model = TypeVar("Model", bound=BaseModel)


def check_patch(patch: Any, record_id: str) -> dict[str, Any]:
    """A merge patch must be an object and must not rename the record."""
    if not isinstance(patch, dict):
        raise Invalid([("body", "a merge patch is a JSON object of the members to change")])
    if "id" in patch and patch["id"] != record_id:
        raise Invalid([("body.id", f"an id never changes (this record is {record_id!r}); create a new record instead")])
    return patch


def body_errors(error: ValidationError) -> list[tuple[str, str]]:
    """pydantic's errors, located as FastAPI locates a request body's."""
    errors = []
    for item in error.errors(include_url=False):
        location = ".".join(["body", *(str(part) for part in item["loc"])])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (a typo?)"
        errors.append((location, message))
    return errors


def patched(model: type[Model], current: dict[str, Any], patch: Any, record_id: str) -> Model:
    """`patch` merged onto the record's coding `current`, checked as a new record would be."""
    try:
        return model.model_validate(merge_patch(current, check_patch(patch, record_id)))
    except ValidationError as error:
        raise Invalid(body_errors(error)) from None
