"""The explorer: a browser frontend at / that uses nothing but the public API.

The page is one HTML shell; plain JavaScript modules in app/web/static draw every view
from /api/v1 in the browser, so there is no build step. Each view has a path of its own
(/events/{id}, /actors/{id}, /regions/{id}, /sources/{id}) that answers with the same
shell, so any view can be shared, bookmarked and reloaded.
"""

from html import escape
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse
from starlette.routing import Mount

ASSETS_DIR = Path(__file__).resolve().parent / "static"
# Under /static/ so the caching middleware leaves the files their own validators
# (StaticFiles' ETag and Last-Modified) instead of the data version, but a prefix of its own.
ASSETS_URL = "/static/explorer"
# The paths the explorer answers; anything else stays the API's 404 problem.
VIEW_PATHS = ("/", "/events/{item_id}", "/actors/{item_id}", "/regions/{item_id}", "/sources/{item_id}")
# The modules main.js imports, preloaded so the browser fetches them all at once instead
# of discovering them one import level at a time.
MODULES = tuple(sorted(path.name for path in ASSETS_DIR.glob("*.js") if path.name != "main.js"))

# Same-origin scripts, styles, images and fetches; nothing inline, no framing. Forms may
# submit to this origin only (the search box is a plain GET form to /).
POLICY_DIRECTIVES = (
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(POLICY_DIRECTIVES)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="geoevents-root" content="{root}">
<title>geoevents explorer</title>
<link rel="icon" href="{assets}/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{assets}/explorer.css">
<script type="module" src="{assets}/main.js"></script>
{preloads}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<a class="brand" href="{root}/">geoevents <span>explorer</span></a>
<form class="search-form" role="search" action="{root}/" method="get">
<label for="search-q" class="visually-hidden">Search events, actors, regions and quotes</label>
<input id="search-q" name="q" type="search" placeholder="Search events, actors, places, quotes" autocomplete="off" maxlength="200">
<button type="submit">Search</button>
</form>
<nav class="site-links" aria-label="Service"><a href="{root}/docs">API docs</a></nav>
</header>
<main id="main" tabindex="-1"><p class="status">Loading the explorer…</p></main>
<noscript><p class="status">The explorer needs JavaScript. The data is served as JSON under
<a href="{root}/api/v1/events">/api/v1</a>, described at <a href="{root}/docs">/docs</a>.</p></noscript>
</body>
</html>
"""


def page(root: str) -> str:
    """The HTML shell of every view, for an app mounted at `root` ("" at the top)."""
    assets = escape(root + ASSETS_URL)
    preloads = "\n".join(f'<link rel="modulepreload" href="{assets}/{name}">' for name in MODULES)
    return _PAGE.format(root=escape(root), assets=assets, preloads=preloads)


def install(app: FastAPI) -> None:
    """Serve the explorer's page and static assets."""
    # First in the route list: docs.install mounts all of /static, which would otherwise
    # swallow /static/explorer.
    app.router.routes.insert(0, Mount(ASSETS_URL, app=StaticFiles(directory=ASSETS_DIR), name="explorer-assets"))

    def explorer(request: Request) -> HTMLResponse:
        headers = {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            # The shell names its assets, which change with the code, not with the data
            # version the caching middleware would tag it with: never store it.
            "Cache-Control": "no-store",
        }
        return HTMLResponse(page(request.scope.get("root_path", "")), headers=headers)

    for path in VIEW_PATHS:
        app.add_api_route(path, explorer, methods=["GET", "HEAD"], include_in_schema=False, response_class=HTMLResponse)
