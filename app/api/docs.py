"""The interactive API docs at /docs (Swagger UI) and /redoc, served without any CDN.

Their JavaScript and CSS are vendored in app/static (versions and licences in its
README.md) and served at /static, so the pages work on a machine with no internet. Each
page sends a Content-Security-Policy that allows same-origin scripts and styles only: no
page has an inline script (each starts its viewer from a served .js file).
"""

import secrets
from html import escape
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# The one stylesheet redoc.standalone.js 2.5.4 writes inline as it loads, before it can be
# given a nonce (perfect-scrollbar's and its own base styles). Recompute it whenever the
# vendored ReDoc changes: app/static/README.md says how.
REDOC_LOAD_STYLE_HASH = "sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc="


def content_security_policy(style_nonce: str | None = None) -> str:
    """Same-origin scripts, styles, images, fonts and fetches; nothing else, no framing.

    img-src allows data: for the icons Swagger UI's CSS embeds; worker-src allows blob:
    for ReDoc's search worker, which it builds from its own bundle. ReDoc writes its
    styles into <style> elements at run time, so its page also allows the styles that
    carry that response's nonce, which only its own init script hands to ReDoc, and the
    one stylesheet its bundle writes before that, by hash.
    """
    styles = "style-src 'self'" + (f" 'nonce-{style_nonce}' '{REDOC_LOAD_STYLE_HASH}'" if style_nonce else "")
    directives = [
        "default-src 'none'",
        "script-src 'self'",
        styles,
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


_SWAGGER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{root}/static/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{root}/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{root}/static/docs/swagger-init.js"></script>
</body>
</html>
"""

_REDOC = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="redoc" data-openapi-url="{openapi}"></div>
<script src="{root}/static/redoc/redoc.standalone.js"></script>
<script src="{root}/static/docs/redoc-init.js" nonce="{nonce}"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Serve Swagger UI at /docs, ReDoc at /redoc, and their files at /static."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def html(template: str, viewer: str, request: Request, nonce: str = "") -> str:
        root = request.scope.get("root_path", "")
        return template.format(
            title=escape(f"{app.title} API: {viewer}"),
            root=escape(root),
            openapi=escape(root + (app.openapi_url or "/openapi.json")),
            nonce=nonce,
        )

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        page = html(_SWAGGER, "Swagger UI", request)
        return HTMLResponse(page, headers={"Content-Security-Policy": content_security_policy()})

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        nonce = secrets.token_urlsafe(18)
        page = html(_REDOC, "ReDoc", request, nonce)
        # A nonce is good for one response only: a stored copy would replay it.
        headers = {"Content-Security-Policy": content_security_policy(nonce), "Cache-Control": "no-store"}
        return HTMLResponse(page, headers=headers)
