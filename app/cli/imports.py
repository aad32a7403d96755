"""`geoevents import ...`: event data from other datasets and from `geoevents export`."""

import sys
from pathlib import Path

import click

from app.cli import main
from app.cli.common import database_url_option, engine_for
from app.importers.gdelt import GdeltFile
from app.importers.report import ImportFailed, ImportReport
from app.importers.run import expand, import_files
from app.importers.ucdp import UcdpFile
from app.migrate import upgrade

on_error_option = click.option(
    "--on-error",
    type=click.Choice(["fail", "skip"]),
    default="fail",
    show_default=True,
    help="A bad row fails its file (rolled back whole) or is skipped and reported.",
)
progress_option = click.option(
    "--progress/--no-progress",
    default=None,
    help="Draw a progress bar on stderr (default: only when stderr is a terminal).",
)


@main.group("import")
def import_group() -> None:
    """Import event data (GDELT, UCDP, JSON Lines exports)."""


def _finish(report: ImportReport, failure: ImportFailed | None) -> None:
    for file_report in report.files:
        for line in file_report.shown:
            click.echo(f"skipped: {line}", err=True)
    for line in report.lines():
        click.echo(line)
    if failure is not None:
        click.echo(f"error: {failure.location}: {failure.message}", err=True)
        committed = sum(1 for f in report.files if f.committed)
        click.echo(f"{report.files[-1].path} was rolled back: nothing of it was written "
                   f"({committed} earlier file(s) imported).", err=True)
        sys.exit(1)


def _run(paths: tuple[Path, ...], open_file, database_url: str | None, on_error: str,  # type: ignore[no-untyped-def]
         progress: bool | None) -> None:
    try:
        files = expand(list(paths))
    except FileNotFoundError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    engine = engine_for(database_url)
    upgrade(engine)
    report, failure = import_files(engine, files, open_file, on_error=on_error, progress=progress)
    _finish(report, failure)


@import_group.command("gdelt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@database_url_option
@on_error_option
@progress_option
def import_gdelt(paths: tuple[Path, ...], database_url: str | None, on_error: str, progress: bool | None) -> None:
    """Import GDELT event files (1.0 and 2.0 layouts, any mix; folders are searched for .csv/.tsv)."""
    _run(paths, GdeltFile, database_url, on_error, progress)


@import_group.command("ucdp")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@database_url_option
@on_error_option
@progress_option
def import_ucdp(path: Path, database_url: str | None, on_error: str, progress: bool | None) -> None:
    """Import a UCDP Georeferenced Event Dataset (GED) CSV file."""
    _run((path,), UcdpFile, database_url, on_error, progress)
