"""`geoevents serve`: migrate, seed an empty database, serve."""

import os

import click
from sqlalchemy import Engine, func, select

from app import tables
from app.cli import main
from app.cli.common import URL_HELP, fail
from app.database import make_engine
from app.loader import CodingError, seed
from app.migrate import upgrade
from app.resources import seeds_dir
from app.settings import get_settings


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--database-url", help=URL_HELP)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, database_url: str | None, reload: bool) -> None:
    """Bring the schema up to date, seed an empty database, and serve the API."""
    import uvicorn

    from app.api.middleware.access_log import LOG_CONFIG

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
            fail(error)
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
        # The service's own access log (one JSON line per request, with its request id)
        # replaces uvicorn's text one.
        log_config=LOG_CONFIG,
        access_log=False,
    )


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(tables.source)).scalar_one() == 0
