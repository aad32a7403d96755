"""`geoevents db ...`: the schema."""

import click

from app.cli import main
from app.cli.common import database_url_option, engine_for
from app.migrate import current_revision, head_revision, upgrade


@main.group()
def db() -> None:
    """Manage the database."""


@db.command("upgrade")
@database_url_option
@click.option("--revision", default="head", show_default=True, help="Target Alembic revision.")
def db_upgrade(database_url: str | None, revision: str) -> None:
    """Run the migrations up to the newest schema."""
    engine = engine_for(database_url)
    upgrade(engine, revision)
    click.echo(f"database at revision {current_revision(engine)}")


@db.command("current")
@database_url_option
def db_current(database_url: str | None) -> None:
    """Show the database's schema revision and the newest one."""
    engine = engine_for(database_url)
    click.echo(f"database: {current_revision(engine) or 'not migrated'}; newest: {head_revision()}")
