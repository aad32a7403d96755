"""What every command shares: the database option, the engine, and how failures are printed."""

import sys

import click
from sqlalchemy import Engine

from app.database import make_engine
from app.loader import CodingError, Tally
from app.settings import get_settings

URL_HELP = "SQLAlchemy database URL (default: $GEOEVENTS_DATABASE_URL, else ./geoevents.db)."

database_url_option = click.option("--database-url", help=URL_HELP)


def engine_for(url: str | None) -> Engine:
    """The engine for --database-url, or for the configured database."""
    return make_engine(url or get_settings().database_url)


def print_tally(tally: Tally) -> None:
    """The created/updated/unchanged/deleted table a seed or import prints."""
    click.echo(f"{'table':<8} {'created':>8} {'updated':>8} {'unchanged':>10} {'deleted':>8}")
    for table, counts in tally.items():
        click.echo(
            f"{table:<8} {counts['created']:>8} {counts['updated']:>8} "
            f"{counts['unchanged']:>10} {counts['deleted']:>8}"
        )


def fail(error: CodingError) -> None:
    """Print every problem, say nothing was written, and exit 1."""
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"{len(error.problems)} problem(s); nothing was written.", err=True)
    sys.exit(1)
