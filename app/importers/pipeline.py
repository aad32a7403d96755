"""Reading and mapping rows in a second process while this one writes: two cores, not one.

An import spends about as long turning rows into records as SQLite spends storing them,
so a forked child runs the importer's `batches()` and sends each batch through a pipe
while the parent writes the previous one. The child never touches the database (the
importer read what it needs before the fork) and leaves with os._exit, so the parent's
open connection and transaction are never disturbed. What the child counted (rows read,
rows skipped, notes) comes back with every batch.
"""

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection as Pipe
from typing import Any

from app.importers.records import Batch
from app.importers.report import FileReport, RowError

# Below this many bytes a file is read in-process: forking costs more than it saves.
MIN_BYTES = 1 << 20


class _Stop(Exception):
    def __init__(self, line: int, error: RowError):
        self.line, self.error = line, error


def _counts(report: FileReport) -> tuple:
    return report.rows, report.skipped, report.notes, report.shown


def _produce(batches: Callable[..., Iterator[Batch]], report: FileReport, chunk: int, on_error: str,
             pipe: Pipe) -> None:
    position = [0]

    def bad_row(line: int, error: RowError) -> None:
        if on_error == "fail":
            raise _Stop(line, error)
        report.problem(line, error.reason, error.message)

    def advance(at: int) -> None:
        position[0] = at

    try:
        for batch in batches(chunk, bad_row, advance):
            pipe.send(("batch", batch, _counts(report), position[0]))
        pipe.send(("done", None, _counts(report), position[0]))
    except _Stop as stop:
        pipe.send(("bad-row", (stop.line, stop.error.reason, stop.error.message), _counts(report), position[0]))
    except RowError as error:
        pipe.send(("file-error", (error.reason, error.message), _counts(report), position[0]))
    except BaseException:  # noqa: BLE001 (anything else is a bug: the parent shows the traceback)
        pipe.send(("crash", traceback.format_exc(), _counts(report), position[0]))
    finally:
        pipe.close()


def batches_in_child(source: Any, report: FileReport, chunk: int, on_error: str,
                     bad_row: Callable[[int, RowError], None], advance: Callable[[int], None]) -> Iterator[Batch]:
    """The batches of `source.batches`, produced by a forked child; same results, same errors."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(source.batches, report, chunk, on_error, send), daemon=True)
    child.start()
    send.close()
    try:
        while True:
            kind, payload, counts, position = receive.recv()
            report.rows, report.skipped, report.notes, shown = counts
            report.shown[:] = shown
            advance(position)
            if kind == "batch":
                yield payload
            elif kind == "done":
                return
            elif kind == "bad-row":
                line, reason, message = payload
                bad_row(line, RowError(reason, message))
                return
            elif kind == "file-error":
                raise RowError(*payload)
            else:
                raise RuntimeError(f"the importer's reading process failed:\n{payload}")
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()


def _child_main(*args: Any) -> None:
    try:
        _produce(*args)
    finally:
        os._exit(0)
