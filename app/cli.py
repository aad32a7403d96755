"""The `geoevents` command: serve, db upgrade, seed, schema."""

import json
import os
import sys
from pathlib import Path

import click
from sqlalchemy import Engine, func, select

from app import tables
from app.coding.models import DocumentCoding, ReferenceCoding
from app.database import make_engine
from app.loader import CodingError, Tally, read_dataset, seed, store
from app.migrate import current_revision, head_revision, upgrade
from app.resources import seeds_dir
from app.settings import get_settings

URL_HELP = "SQLAlchemy database URL (default: $GEOEVENTS_DATABASE_URL, else ./geoevents.db)."


def _engine(url: str | None) -> Engine:
    return make_engine(url or get_settings().database_url)


def _print_tally(tally: Tally) -> None:
    click.echo(f"{'table':<8} {'created':>8} {'updated':>8} {'unchanged':>10} {'deleted':>8}")
    for table, counts in tally.items():
        click.echo(
            f"{table:<8} {counts['created']:>8} {counts['updated']:>8} "
            f"{counts['unchanged']:>10} {counts['deleted']:>8}"
        )


def _fail(error: CodingError) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"{len(error.problems)} problem(s); nothing was written.", err=True)
    sys.exit(1)


@click.group()
@click.version_option(package_name="geoevents")
def main() -> None:
    """geoevents: a REST API for geopolitical events traced to their sources."""


@main.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--database-url", help=URL_HELP)
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def db_upgrade(database_url: str | None, revision: str) -> None:
    """Run the migrations up to the newest schema."""
    engine = _engine(database_url)
    upgrade(engine, revision)
    click.echo(f"database at revision {current_revision(engine)}")


@db.command("current")
@click.option("--database-url", help=URL_HELP)
def db_current(database_url: str | None) -> None:
    """Show the database's schema revision and the newest one."""
    engine = _engine(database_url)
    click.echo(f"database: {current_revision(engine) or 'not migrated'}; newest: {head_revision()}")


@main.command("seed")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--database-url", help=URL_HELP)
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
        engine = _engine(database_url)
        upgrade(engine)
        tally = store(engine, dataset)
    except CodingError as error:
        _fail(error)
    _print_tally(tally)


@main.command("schema")
@click.argument("kind", type=click.Choice(["document", "reference"]))
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a coding file."""
    model = DocumentCoding if kind == "document" else ReferenceCoding
    click.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--database-url", help=URL_HELP)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, database_url: str | None, reload: bool) -> None:
    """Bring the schema up to date, seed an empty database, and serve the API."""
    import uvicorn

    if database_url:
        # Workers are separate processes that build their settings from the environment.
        os.environ["GEOEVENTS_DATABASE_URL"] = database_url
    settings = get_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    if settings.seed_on_start and _is_empty(engine):
        try:
            tally = seed(engine, [seeds_dir()])
        except CodingError as error:
            _fail(error)
        click.echo(f"seeded an empty database: {tally['event']['created']} events")
    engine.dispose()
    uvicorn.run(
        "app.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        server_header=False,
        proxy_headers=True,
    )


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(tables.source)).scalar_one() == 0
