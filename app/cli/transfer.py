"""`geoevents db backup`, `geoevents export` and `geoevents import jsonl`: whole databases in and out."""

import sys
from pathlib import Path

import click

from app.cli import main
from app.cli.common import database_url_option, engine_for, fail
from app.cli.database import db
from app.cli.imports import import_group
from app.coding.problems import CodingError, CodingProblem
from app.migrate import upgrade
from app.transfer.atomic import replaced_atomically
from app.transfer.backup import BackupError, backup_sqlite
from app.transfer.export import ExportError, check_exportable, write_export
from app.transfer.import_jsonl import import_jsonl


@db.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@database_url_option
def db_backup(path: Path, database_url: str | None) -> None:
    """Copy the SQLite database to PATH while the service runs (consistent, verified)."""
    try:
        result = backup_sqlite(engine_for(database_url), path)
    except BackupError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"backed up {result.source} to {result.target}: {result.pages} pages, {result.size} bytes, "
               "integrity ok")


@main.command("export")
@database_url_option
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: standard output). Written whole or not at all.")
def export_command(database_url: str | None, output: Path | None) -> None:
    """Write every record as JSON Lines, from one consistent snapshot."""
    engine = engine_for(database_url)
    try:
        check_exportable(engine)
        if output is not None and not output.absolute().parent.is_dir():
            raise ExportError(f"the folder {output.absolute().parent} does not exist")
    except ExportError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if output is None:
        counts = write_export(engine, sys.stdout.buffer)
    else:
        with replaced_atomically(output) as stream:
            counts = write_export(engine, stream)
    click.echo("exported " + _listed(counts), err=True)


@import_group.command("jsonl")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@database_url_option
def import_jsonl_command(file: Path, database_url: str | None) -> None:
    """Read a `geoevents export` file (- for standard input) into an empty database."""
    engine = engine_for(database_url)
    try:
        upgrade(engine)
        if str(file) == "-":
            counts = import_jsonl(engine, sys.stdin.buffer, "<stdin>")
        else:
            if not file.is_file():
                raise CodingError([CodingProblem(str(file), "does not exist")])
            with file.open("rb") as stream:
                counts = import_jsonl(engine, stream, str(file))
    except CodingError as error:
        fail(error)
    click.echo("imported " + _listed(counts))


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}(s)" for name, count in counts.items())
