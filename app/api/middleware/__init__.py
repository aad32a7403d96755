"""The service's own ASGI middleware, and the order they wrap the routes in.

From the outside in, after Starlette's last-resort ServerErrorMiddleware:

1. RequestIdMiddleware: the request's id, sent back in `X-Request-ID` on every response;
2. AccessLogMiddleware: one JSON line per request, with that id;
3. SecurityHeadersMiddleware: nosniff, no referrer, no framing, a default CSP;
4. CORSMiddleware, when GEOEVENTS_CORS_ORIGINS is set (added by create_app);
5. ServerErrorMiddleware (ours): an exception becomes the 500 problem here, so that
   answer still passes through 1 to 4;
6. RequestLimitsMiddleware: overlong URLs and NUL paths refused before any work;
7. HeadAsGet: HEAD runs as GET wherever a GET route matches, its body dropped, so the
   layers inside it (caching included) treat it exactly as that GET;
8. CachingMiddleware (app.api.caching): ETags, 304s, Cache-Control.

`add_middleware` wraps everything added before it, so create_app calls caching.install,
then install_inner, then adds CORS, then install_outer. Each middleware is pure ASGI, so
streamed bodies pass through untouched.
"""

from fastapi import FastAPI

from app.api.middleware.access_log import AccessLogMiddleware
from app.api.middleware.errors import ServerErrorMiddleware
from app.api.middleware.head import HeadAsGet
from app.api.middleware.limits import RequestLimitsMiddleware
from app.api.middleware.request_id import RequestIdMiddleware
from app.api.middleware.security_headers import SecurityHeadersMiddleware


def install_inner(app: FastAPI) -> None:
    """The middleware inside CORS and around caching: 7, then 6, then 5 around them."""
    app.add_middleware(HeadAsGet)
    app.add_middleware(RequestLimitsMiddleware)
    app.add_middleware(ServerErrorMiddleware)


def install_outer(app: FastAPI) -> None:
    """The middleware outside CORS: 3, 2, then 1 outermost."""
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(RequestIdMiddleware)
