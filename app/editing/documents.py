"""A source's document, checked as `geoevents seed` checks a coding file, and saved whole.

Quotes and events made through the API are edited as part of their source's coding: the
coding is read back from the database, changed, and checked by app/loader/plan.py against
the source's text and the actors and regions in the database. Only what differs is then
written, so a quote whose text moves re-places every figure that cites it, or is refused.
"""

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select

from app.coding.models import ActorCoding, ReferenceCoding, RegionCoding
from app.coding.problems import CodingProblem, entry_name, from_validation_error
from app.coding.vocabulary import ActorKind, RegionKind
from app.editing.errors import Invalid, InvalidCoding
from app.editing.models import DocumentInput
from app.editing.merge import merge_patch
from app.editing.records import document_coding, owned
from app.editing.store import Writer
from app.editing.validation import check_patch
from app.loader.dataset import Dataset
from app.loader.plan import Document, build_dataset
from app.tables import actor, event, quote, region, source

CODING = "coding"


def _reference(connection: Connection) -> ReferenceCoding:
    """Every actor and region id in the database, as a reference the plan checks names against.

    Only the ids matter to a document's checks; the stored records were validated when
    they were written, so they are not validated again here.
    """
    actors = [
        ActorCoding.model_construct(id=i, name=i, kind=ActorKind.GROUP, aliases=[], description=i, affiliation=None)
        for i in connection.execute(select(actor.c.id)).scalars()
    ]
    regions = [
        RegionCoding.model_construct(
            id=i,
            name=i,
            kind=RegionKind.SITE,
            aliases=[],
            description=None,
            parent=None,
            iso_code=None,
            lat=None,
            lon=None,
        )
        for i in connection.execute(select(region.c.id)).scalars()
    ]
    return ReferenceCoding.model_construct(actors=actors, regions=regions)


def check_document(connection: Connection, text: str, coding: Any) -> Dataset:
    """The document's source, quotes and events as rows (origin 'api'); InvalidCoding lists every problem."""
    if not isinstance(coding, dict):
        raise InvalidCoding([CodingProblem(CODING, "must be a JSON object with source, quotes and events")])
    try:
        parsed = DocumentInput.model_validate(coding)
    except ValidationError as error:
        raise InvalidCoding(from_validation_error(CODING, error, coding)) from None
    text_name = parsed.source.file or f"{parsed.source.id}.txt"
    dataset, problems = build_dataset(_reference(connection), "database", [Document(CODING, parsed, text_name, text)])
    if problems:
        raise InvalidCoding(problems)
    # The reference only stood in for the database's names: none of it is written.
    dataset.actors.clear()
    dataset.regions.clear()
    dataset.region_ancestors = []
    for records in (dataset.sources, dataset.quotes, dataset.events):
        for record in records.values():
            record.row["origin"] = "api"
    return dataset


def taken_ids(connection: Connection, coding: dict[str, Any]) -> list[CodingProblem]:
    """A problem for each id of a new document that a stored record already holds."""
    problems = []
    wanted = [("source", source, "source", None, coding["source"]["id"])]
    wanted += [("quote", quote, "quotes", i, q["id"]) for i, q in enumerate(coding["quotes"])]
    wanted += [("event", event, "events", i, e["id"]) for i, e in enumerate(coding["events"])]
    for kind, table, section, index, record_id in wanted:
        row = connection.execute(select(table.c.origin).where(table.c.id == record_id)).first()
        if row is not None:
            entry = section if index is None else entry_name(section, index, {"id": record_id})
            reason = f"{kind} id {record_id!r} is taken (by a record made by {row.origin}); ids are never reused"
            problems.append(CodingProblem(CODING, reason, entry, "id"))
    return problems


def save_document(writer: Writer, dataset: Dataset) -> None:
    """Write the document's records that are new or changed (quotes before the events citing them)."""
    writer.save("source", dataset.sources.values())
    writer.save("quote", dataset.quotes.values())
    writer.save("event", dataset.events.values())


def edit_document(
    writer: Writer, source_id: str, section: str, record_id: str, change: Callable[[dict[str, Any]], None]
) -> None:
    """Re-check a source's coding after `change` edits the entry `section`/`record_id`, and save it.

    Problems with the edited entry are reported at `body.<field>`; problems it causes in
    other entries (a figure no longer found in a changed quote) at `body`, naming them.
    """
    text, coding = document_coding(writer.connection, source_id)
    change(coding)
    try:
        dataset = check_document(writer.connection, text, coding)
    except InvalidCoding as error:
        raise Invalid(_located(error.problems, coding, section, record_id)) from None
    save_document(writer, dataset)


def _located(
    problems: list[CodingProblem], coding: dict[str, Any], section: str, record_id: str
) -> list[tuple[str, str]]:
    names = {
        entry_name(name, i, {"id": item.get("id")}): f"{name[:-1]} {item.get('id')!r}"
        for name in ("quotes", "events")
        for i, item in enumerate(coding[name])
        if isinstance(item, dict)
    }
    edited = next(entry for entry, shown in names.items() if shown == f"{section[:-1]} {record_id!r}")
    errors = []
    for problem in problems:
        if problem.entry == edited:
            errors.append(("body" + (f".{problem.field}" if problem.field else ""), problem.reason))
        else:
            where = ": ".join(part for part in (names.get(problem.entry or "", problem.entry), problem.field) if part)
            errors.append(("body", f"{where}: {problem.reason}" if where else problem.reason))
    return errors


def update_entry(writer: Writer, kind: str, section: str, record_id: str, patch: Any) -> None:
    """Merge `patch` into the entry `section`/`record_id` of its source's coding (an event or a
    quote the API made), re-checked and saved as edit_document does; it stays in its source."""
    row = owned(writer.connection, kind, record_id)
    patch = check_patch(patch, record_id)
    if patch.get("source", row["source_id"]) != row["source_id"]:
        article = "an" if kind[0] in "aeiou" else "a"
        raise Invalid([("body.source", f"{article} {kind} stays in its source ({row['source_id']!r})")])
    patch = {name: value for name, value in patch.items() if name != "source"}

    def change(coding: dict[str, Any]) -> None:
        index = next(i for i, item in enumerate(coding[section]) if item["id"] == record_id)
        coding[section][index] = merge_patch(coding[section][index], patch)

    edit_document(writer, row["source_id"], section, record_id, change)
