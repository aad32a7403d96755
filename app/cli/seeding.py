"""`geoevents seed` and `geoevents schema`: coded documents in, their format out."""

import json
from pathlib import Path

import click

from app.cli import main
from app.cli.common import database_url_option, engine_for, fail, print_tally
from app.coding.models import DocumentCoding, ReferenceCoding
from app.loader import CodingError, read_dataset, store
from app.migrate import upgrade
from app.resources import seeds_dir


@main.command("seed")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@database_url_option
@click.option("--reference", type=click.Path(path_type=Path), help="Reference file of actors and regions.")
@click.option("--check", is_flag=True, help="Validate the codings only; write nothing.")
def seed_command(paths: tuple[Path, ...], database_url: str | None, reference: Path | None, check: bool) -> None:
    """Load coded documents (default: every document under seeds/)."""
    targets = list(paths) or [seeds_dir()]
    try:
        # Validate before touching the database at all, migrations included.
        dataset = read_dataset(targets, reference)
        if check:
            counts = dataset.counts()
            click.echo("ok: " + ", ".join(f"{n} {table}(s)" for table, n in counts.items()))
            return
        engine = engine_for(database_url)
        upgrade(engine)
        tally = store(engine, dataset)
    except CodingError as error:
        fail(error)
    print_tally(tally)


@main.command("schema")
@click.argument("kind", type=click.Choice(["document", "reference"]))
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a coding file."""
    model = DocumentCoding if kind == "document" else ReferenceCoding
    click.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
