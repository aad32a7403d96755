"""The application factory: one engine per process, routers under /api/v1, problems everywhere."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import text

from app import __version__, web
from app.api import caching, docs, problems, schemas
from app.api.responses import JSONResponse
from app.api.routes import (
    actors,
    aggregates,
    changes,
    events,
    mentions,
    quotes,
    regions,
    search,
    sources,
)
from app.database import make_engine
from app.migrate import current_revision, head_revision
from app.settings import Settings, get_settings

DESCRIPTION = """\
Geopolitical events coded from news briefs, with the actors and regions involved and the
exact words of the source behind every fact: each quote and figure carries the code-point
`span` at which it stands in its source's `text`.

Lists are keyset-paged: follow `links.next` (or pass `meta.next_cursor` as `cursor`).
A repeated parameter matches any of its values; different parameters combine with AND;
an unknown parameter is an error. Every error is `application/problem+json` (RFC 9457).

Every successful GET carries an `ETag` that changes only when the data is re-seeded: send it
back in `If-None-Match` and an unchanged answer is a bodiless `304`. Mirrors follow
`/api/v1/changes`.
"""

_PROBLEM = {"model": schemas.ProblemDetails, "content": {"application/problem+json": {}}}
_ERRORS = {400: {"description": "Invalid cursor", **_PROBLEM}, 404: {"description": "Not found", **_PROBLEM},
           422: {"description": "Invalid parameters", **_PROBLEM}}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service; settings come from the environment unless given."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = make_engine(settings.database_url)
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="geoevents",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        default_response_class=JSONResponse,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    problems.install(app)
    caching.install(app)
    docs.install(app)
    web.install(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["ETag", "Link", "X-Total-Count"],
            max_age=600,
        )
    # aggregates before events and actors: /events/facets must not be read as an event id.
    for module in (search, aggregates, events, actors, mentions, regions, quotes, sources, changes):
        app.include_router(module.router, prefix="/api/v1", responses=_ERRORS)

    @app.get("/health", response_model=schemas.Health, tags=["service"], responses={503: _PROBLEM})
    def health(request: Request) -> JSONResponse:
        """Whether the database answers and its schema is the newest this code knows."""
        engine = request.app.state.engine
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            revision = current_revision(engine)
        except Exception as error:  # noqa: BLE001 - any database failure means unhealthy
            raise problems.Problem(503, "unavailable", f"The database does not answer ({type(error).__name__}).") from None
        if revision != head_revision():
            raise problems.Problem(503, "unavailable", f"The database schema is at {revision}, not {head_revision()}; run `geoevents db upgrade`.")
        return JSONResponse({"status": "ok", "database": engine.url.get_backend_name(), "schema_revision": revision})

    @app.get("/problems/{name}", tags=["service"], responses={404: _PROBLEM})
    def problem_type(name: str) -> JSONResponse:
        """What a problem `type` means."""
        if name not in problems.PROBLEM_TYPES:
            raise problems.Problem(404, "not-found", f"No problem type {name!r}.")
        return JSONResponse({"type": f"/problems/{name}", "description": problems.PROBLEM_TYPES[name]})

    return app
