"""Who is asking: bearer tokens on HTTP requests, and the 401 and 403 problems.

Writes (POST, PATCH, DELETE under /api/v1) need a token of scope `write` or `admin`;
reads need one of any scope only when GEOEVENTS_REQUIRE_TOKEN_FOR_READS is set. No token,
or one that is wrong or revoked, is a 401 with `WWW-Authenticate` (RFC 6750); a token
whose scope is too narrow is a 403.

The check answers with a ready response instead of raising, because it runs before
routing decisions that must not be skipped: the editing routes check before reading a
body (app/api/routes/edit_body.py), and the caching middleware before it may answer a
read with a 304 (app/api/caching.py).
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from starlette.types import Scope

from app.api.problems import problem_response
from app.api.responses import ProblemResponse
from app.auth.tokens import TokenOwner, record_use, verify_token
from app.database import write_transaction

REALM = 'Bearer realm="geoevents"'

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    bearerFormat="geo_ followed by 43 url-safe characters",
    description="A token from `geoevents token create --name NAME --scope write`. Writes need scope `write` or "
    "`admin`; reads need a token (any scope) only when the server sets GEOEVENTS_REQUIRE_TOKEN_FOR_READS.",
)


@dataclass(frozen=True)
class Denial:
    """Why a request may not go on: the problem to answer with."""

    status: int
    kind: str
    detail: str
    challenge: str

    def response(self, scope: Scope) -> ProblemResponse:
        """The problem+json answer, with its `WWW-Authenticate` challenge."""
        response = problem_response(self.status, self.kind, self.detail, Request(scope))
        response.headers["WWW-Authenticate"] = self.challenge
        return response


def _bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def authenticate(engine: Engine, authorization: str | None, needed: str) -> TokenOwner | Denial:
    """The token's owner if the Authorization header carries a live token allowing `needed`."""
    token = _bearer_token(authorization)
    if token is None:
        detail = f"This request needs a bearer token with scope {needed!r} or wider: `Authorization: Bearer geo_...`."
        return Denial(401, "unauthorized", detail, REALM)
    with engine.connect() as connection, connection.begin():
        verified = verify_token(connection, token)
    if verified is None:
        detail = "The bearer token is not valid: it is unknown, mistyped or revoked."
        return Denial(401, "unauthorized", detail, f'{REALM}, error="invalid_token"')
    if verified.stale_use:
        # Its own short write, at most once a minute per token (see TOUCH_EVERY).
        with write_transaction(engine) as connection:
            record_use(connection, verified.token_id)
    if not verified.owner.allows(needed):
        detail = (
            f"Token {verified.owner.name!r} has scope {verified.owner.scope!r}; this request needs {needed!r} or wider."
        )
        return Denial(403, "forbidden", detail, f'{REALM}, error="insufficient_scope", scope="{needed}"')
    return verified.owner


BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


def curator(request: Request, _credentials: BearerCredentials) -> TokenOwner:
    """The owner of the write token, checked by the editing route before its body was read."""
    # Declaring the bearer scheme here puts it on every write operation in the OpenAPI.
    return request.state.token_owner


def read_token(_credentials: BearerCredentials) -> None:
    """Documents the bearer scheme on reads when they need a token (the caching middleware checks it)."""


Curator = Annotated[TokenOwner, Depends(curator)]
