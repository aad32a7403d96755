"""The loader: seeds/ -> validated codings -> Dataset -> database rows, all or nothing."""

from pathlib import Path

from sqlalchemy import Engine

from app.coding.files import read_coding, read_text
from app.coding.models import DocumentCoding, ReferenceCoding
from app.coding.problems import CodingError, CodingProblem
from app.database import write_transaction
from app.loader.changes import Tally
from app.loader.dataset import Dataset
from app.loader.plan import Document, build_dataset
from app.loader.write import IdTakenError, write_dataset

REFERENCE_FILE = "reference.yaml"

__all__ = ["CodingError", "Dataset", "Tally", "find_codings", "read_dataset", "seed", "store"]


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def find_codings(paths: list[Path], reference: Path | None = None) -> tuple[Path, list[Path]]:
    """The reference file and the document coding files that `paths` name or contain."""
    codings: list[Path] = []
    folders: set[Path] = set()
    for path in paths:
        if path.is_dir():
            folders.add(path.resolve())
            codings += sorted(p for p in path.glob("*.yaml") if p.name != REFERENCE_FILE)
        elif path.is_file():
            folders.add(path.resolve().parent)
            if path.name != REFERENCE_FILE:
                codings.append(path)
        else:
            raise CodingError([CodingProblem(_shown(path), "does not exist")])
    if reference is None:
        if len(folders) != 1:
            raise CodingError([CodingProblem(", ".join(sorted(_shown(f) for f in folders)),
                                             "codings from several folders need --reference")])
        reference = next(iter(folders)) / REFERENCE_FILE
    if not reference.is_file():
        raise CodingError([CodingProblem(_shown(reference), "reference file not found")])
    unique = list(dict.fromkeys(p.resolve() for p in codings))
    return reference, unique


def read_dataset(paths: list[Path], reference: Path | None = None) -> Dataset:
    """Read, validate and cross-check codings; CodingError lists every problem found."""
    reference_path, coding_paths = find_codings(paths, reference)
    problems: list[CodingProblem] = []
    reference_coding = None
    try:
        reference_coding = read_coding(reference_path, ReferenceCoding, shown_as=_shown(reference_path))
    except CodingError as error:
        problems += error.problems
    documents = []
    for coding_path in coding_paths:
        try:
            coding = read_coding(coding_path, DocumentCoding, shown_as=_shown(coding_path))
            text_path = coding_path.parent / coding.source.file
            text = read_text(text_path, shown_as=_shown(text_path))
        except CodingError as error:
            problems += error.problems
            continue
        documents.append(Document(_shown(coding_path), coding, _shown(text_path), text))
    if reference_coding is None:
        raise CodingError(problems)
    dataset, found = build_dataset(reference_coding, _shown(reference_path), documents)
    problems += found
    if problems:
        raise CodingError(problems)
    return dataset


def seed(engine: Engine, paths: list[Path], reference: Path | None = None) -> Tally:
    """Load codings into the database in one transaction; returns what changed."""
    return store(engine, read_dataset(paths, reference))


def store(engine: Engine, dataset: Dataset) -> Tally:
    """Write a checked Dataset in one transaction; returns what changed."""
    try:
        with write_transaction(engine) as connection:
            return write_dataset(connection, dataset).tally()
    except IdTakenError as error:
        raise CodingError([CodingProblem("database", str(error), error.table, "id")]) from None
