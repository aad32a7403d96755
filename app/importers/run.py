"""Driving an import: one transaction per file, bad rows skipped or fatal, a report at the end.

Each file is imported in a transaction of its own, so a file is either wholly imported or
not at all, and a long import of many files keeps what it finished when a later file
fails. Rows go to the bulk writer in chunks, so memory stays flat whatever the file size.
"""

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine

from app.database import write_transaction
from app.importers import pipeline, tuning
from app.importers.bulk import BulkWriter, ImportConflict, RowProblem
from app.importers.progress import Progress
from app.importers.records import Batch
from app.importers.report import FileReport, ImportFailed, ImportReport, RowError

CHUNK = 20000
_SUFFIXES = {".csv", ".tsv"}


class FileSource(Protocol):
    """What an importer provides for one file."""

    def batches(self, chunk: int, bad_row: Callable[[int, RowError], None],
                progress: Callable[[int], None]) -> Iterator[Batch]: ...


OpenFile = Callable[[Path, Connection, FileReport], FileSource]


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def expand(paths: list[Path]) -> list[Path]:
    """Files named, and the .csv/.tsv files inside folders named, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"{shown(path)}: no such file or folder")
    return list(dict.fromkeys(files))


def import_files(engine: Engine, paths: list[Path], open_file: OpenFile, *, on_error: str = "fail",
                 chunk: int = CHUNK, progress: bool | None = None,
                 parallel: bool | None = None) -> tuple[ImportReport, ImportFailed | None]:
    """Import every file; returns the report and, if a file failed, why (that file was rolled back).

    `parallel` reads and maps rows in a second process (app.importers.pipeline); by default
    it does so for files of MIN_BYTES or more.
    """
    report = ImportReport()
    bar = Progress(sum(p.stat().st_size for p in paths), "importing", enabled=progress)
    done_before = events_before = 0
    failure = None
    for path in paths:
        file_report = FileReport(shown(path))
        report.files.append(file_report)
        use_child = parallel if parallel is not None else path.stat().st_size >= pipeline.MIN_BYTES

        def advance(position: int, file_report: FileReport = file_report, bytes_before: int = done_before,
                    rows_before: int = events_before) -> None:
            bar.advance(bytes_before + position, rows_before + file_report.rows)

        try:
            _FileImport(engine, path, open_file, file_report, on_error).run(chunk, advance, use_child)
        except ImportFailed as failed:
            failure = failed
        except (RowError, ImportConflict, OSError) as error:
            failure = ImportFailed(file_report.path, getattr(error, "message", None) or str(error))
        if failure is not None:
            break
        done_before += path.stat().st_size
        events_before += file_report.rows
    bar.finish()
    tuning.refresh_statistics(engine, report.total("event", "created"))
    report.finished = time.perf_counter()
    return report, failure


class _FileImport:
    """One file in one transaction: its batches through the bulk writer, its problems counted."""

    def __init__(self, engine: Engine, path: Path, open_file: OpenFile, report: FileReport, on_error: str):
        self.engine, self.path, self.open_file, self.report, self.on_error = engine, path, open_file, report, on_error
        # What the writer refuses; kept apart from what reading found, which a child process reports.
        self.refused = FileReport(report.path)

    def bad_row(self, line: int, error: RowError) -> None:
        """A row that cannot be imported: fatal under --on-error fail, else counted and shown."""
        if self.on_error == "fail":
            raise ImportFailed(f"{self.report.path}:{line}", error.message)
        self.report.problem(line, error.reason, error.message)

    def run(self, chunk: int, advance: Callable[[int], None], use_child: bool) -> None:
        with write_transaction(self.engine) as connection:
            writer = BulkWriter(connection)
            try:
                source = self.open_file(self.path, connection, self.report)
                if use_child:
                    batches = pipeline.batches_in_child(source, self.report, chunk, self.on_error, self.bad_row,
                                                        advance)
                else:
                    batches = source.batches(chunk, self.bad_row, advance)
                for batch in batches:
                    for problem in writer.write(batch):
                        self._refused(batch, problem)
                writer.finish()
            finally:
                writer.close()
            self.report.tally = writer.tally
        self.report.skipped.update(self.refused.skipped)
        self.report.shown += self.refused.shown
        self.report.committed = True

    def _refused(self, batch: Batch, problem: RowProblem) -> None:
        line = batch.where.get(problem.event_id, self.report.path).rsplit(":", 1)[-1]
        if problem.fatal:
            self.bad_row(int(line) if line.isdigit() else 0, RowError(problem.reason, problem.message))
        else:
            self.refused.problem(line, problem.reason, problem.message)
