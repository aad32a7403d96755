"""The application factory: one engine per process, routers under /api/v1, problems everywhere."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import text

from app import __version__, web
from app.api import auth, caching, docs, middleware, problems, schemas
from app.api.responses import JSONResponse
from app.api.routes import (
    actors,
    aggregates,
    changes,
    edit_actors,
    edit_events,
    edit_quotes,
    edit_regions,
    edit_sources,
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

Every successful GET carries an `ETag` that changes whenever the data does (a seed, an import
or a write through this API): send it back in `If-None-Match` and an unchanged answer is a
bodiless `304`. A record's page has a strong ETag, which `PATCH` and `DELETE` need in
`If-Match`. `HEAD` answers wherever `GET` does, with the same headers and no body. Mirrors
follow `/api/v1/changes`.

Limits: a list parameter takes at most 100 values (422 beyond); a query string over 16 KiB
or a path over 2 KiB is a `414` problem. A request whose database work runs longer than the
server's statement time limit (`GEOEVENTS_STATEMENT_TIMEOUT_MS`, 5 s by default) is stopped
and answered with a `503` problem (`/problems/statement-timeout`) and `Retry-After`.

Every response carries `X-Request-ID`: the one the request sent (up to 128 visible ASCII
characters) or a new one; quote it when reporting a problem.
"""

_PROBLEM = {"model": schemas.ProblemDetails, "content": {"application/problem+json": {}}}
_ERRORS = {400: {"description": "Invalid cursor", **_PROBLEM}, 404: {"description": "Not found", **_PROBLEM},
           422: {"description": "Invalid parameters", **_PROBLEM}}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service; settings come from the environment unless given."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Only the API's engine has a statement time limit: seeding and imports run as long as they need.
        app.state.engine = make_engine(settings.database_url, statement_timeout_ms=settings.statement_timeout_ms)
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
    docs.install(app)
    web.install(app)
    # Middleware, innermost first (app.api.middleware explains the order).
    caching.install(app)
    middleware.install_inner(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "If-Match", "If-None-Match", "Content-Type"],
            expose_headers=["ETag", "Link", "Location", "X-Request-ID", "Retry-After"],
            max_age=600,
        )
    middleware.install_outer(app)
    # aggregates before events and actors: /events/facets must not be read as an event id.
    # With GEOEVENTS_REQUIRE_TOKEN_FOR_READS the caching middleware checks the token; this documents it.
    reads = [Depends(auth.read_token)] if settings.require_token_for_reads else []
    for module in (search, aggregates, events, actors, mentions, regions, quotes, sources, changes):
        app.include_router(module.router, prefix="/api/v1", responses=_ERRORS, dependencies=reads)
    for module in (edit_events, edit_actors, edit_regions, edit_quotes, edit_sources):
        app.include_router(module.router, prefix="/api/v1")

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
