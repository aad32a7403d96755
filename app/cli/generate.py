"""`geoevents generate`: a synthetic dataset of any size, the same for the same seed."""

import click

from app.cli import main
from app.cli.common import database_url_option, engine_for
from app.importers.generate import generate
from app.migrate import upgrade


@main.command("generate")
@click.option("--events", "-n", type=click.IntRange(min=1), required=True, help="How many events to generate.")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed: the same events and seed always give the same data.")
@database_url_option
@click.option("--progress/--no-progress", default=None,
              help="Draw a progress bar on stderr (default: only when stderr is a terminal).")
def generate_command(events: int, seed: int, database_url: str | None, progress: bool | None) -> None:
    """Write a deterministic synthetic dataset (ids gen-*) for scale tests, in one transaction."""
    engine = engine_for(database_url)
    upgrade(engine)
    report = generate(engine, events, seed, progress=progress)
    for line in report.lines():
        click.echo(line)
