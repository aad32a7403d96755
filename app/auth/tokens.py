"""Bearer tokens: shown once when created, kept only as a salted scrypt hash.

A token is `geo_` followed by 32 random bytes (url-safe base64). Its first 12 characters
are stored as `prefix`, so a curator can tell tokens apart in `token list` and the check
finds the candidate row without scanning; the rest is never stored. The hash is compared
with `hmac.compare_digest`, so the time taken says nothing about how much of it matched.

Every function takes a connection inside the caller's transaction: the CLI and the HTTP
layer decide when to commit, and tests call these directly.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Connection, insert, select, update

from app.tables import api_token

SCOPES = ("read", "write", "admin")
TOKEN_PREFIX = "geo_"
PREFIX_LENGTH = 12
# The names the change feed already uses for writes that no token made.
RESERVED_NAMES = ("seed", "import")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")
_TOKEN_PATTERN = re.compile(r"geo_[A-Za-z0-9_-]{43}")
# scrypt's interactive-login cost (16 MiB, ~40 ms). Tokens carry 256 random bits, so the
# cost only slows an attacker who stole the table; the cache below keeps it off every request.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# last_used_at is written at most this often per token, so reads do not each take the write lock.
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be created or revoked as asked; the message says why."""


@dataclass(frozen=True)
class TokenOwner:
    """Who a valid token belongs to: its name (recorded with every change) and its scope."""

    name: str
    scope: str

    def allows(self, needed: str) -> bool:
        """Whether this scope covers `needed` (read < write < admin)."""
        return SCOPES.index(self.scope) >= SCOPES.index(needed)


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite hands timestamps back naive; they are written in UTC.
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@lru_cache(maxsize=256)
def _derive(token: str, salt: str) -> str:
    """The stored form of `token` under `salt`: algorithm, cost and the derived key."""
    key = hashlib.scrypt(token.encode(), salt=bytes.fromhex(salt), dklen=32, **_SCRYPT)
    return f"scrypt:{_SCRYPT['n']}:{_SCRYPT['r']}:{_SCRYPT['p']}:{key.hex()}"


def create_token(connection: Connection, name: str, scope: str = "read", *, now: datetime | None = None) -> str:
    """Store a new token's hash under `name` and return the token (the only time it is seen)."""
    if not NAME_PATTERN.fullmatch(name):
        rule = "1 to 100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit"
        raise TokenError(f"token name {name!r} must be {rule}")
    if name in RESERVED_NAMES:
        raise TokenError(f"token name {name!r} is reserved: the change feed uses it for {name} writes")
    if scope not in SCOPES:
        raise TokenError(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    if connection.execute(select(api_token.c.id).where(api_token.c.name == name)).first() is not None:
        raise TokenError(f"a token named {name!r} exists already; revoke it or choose another name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    connection.execute(
        insert(api_token).values(
            name=name,
            scope=scope,
            prefix=token[:PREFIX_LENGTH],
            salt=salt,
            hash=_derive(token, salt),
            created_at=now or datetime.now(UTC),
        )
    )
    return token


def list_tokens(connection: Connection) -> list[dict]:
    """Every token by name: scope, prefix and when it was created, last used and revoked."""
    query = select(
        api_token.c.name,
        api_token.c.scope,
        api_token.c.prefix,
        api_token.c.created_at,
        api_token.c.last_used_at,
        api_token.c.revoked_at,
    ).order_by(api_token.c.name)
    return [
        {
            **row,
            "created_at": _utc(row["created_at"]),
            "last_used_at": _utc(row["last_used_at"]),
            "revoked_at": _utc(row["revoked_at"]),
        }
        for row in connection.execute(query).mappings()
    ]


def revoke_token(connection: Connection, name: str, *, now: datetime | None = None) -> None:
    """Make the token named `name` fail from now on (its row stays, for the record)."""
    row = connection.execute(select(api_token.c.revoked_at).where(api_token.c.name == name)).first()
    if row is None:
        raise TokenError(f"no token named {name!r}")
    if row.revoked_at is not None:
        raise TokenError(f"token {name!r} was already revoked at {_utc(row.revoked_at).isoformat()}")
    connection.execute(update(api_token).where(api_token.c.name == name).values(revoked_at=now or datetime.now(UTC)))


@dataclass(frozen=True)
class Verified:
    """A token that checked out, and whether its last use should be recorded now."""

    owner: TokenOwner
    token_id: int
    stale_use: bool


def verify_token(connection: Connection, presented: str, *, now: datetime | None = None) -> Verified | None:
    """The owner of `presented` if it is a live token (not revoked), else None."""
    if not _TOKEN_PATTERN.fullmatch(presented):
        return None
    now = now or datetime.now(UTC)
    candidates = connection.execute(select(api_token).where(api_token.c.prefix == presented[:PREFIX_LENGTH])).mappings()
    for row in candidates:
        if hmac.compare_digest(_derive(presented, row["salt"]), row["hash"]) and row["revoked_at"] is None:
            last = _utc(row["last_used_at"])
            stale = last is None or now - last >= TOUCH_EVERY
            return Verified(TokenOwner(row["name"], row["scope"]), row["id"], stale)
    return None


def record_use(connection: Connection, token_id: int, *, now: datetime | None = None) -> None:
    """Set the token's last_used_at."""
    connection.execute(
        update(api_token).where(api_token.c.id == token_id).values(last_used_at=now or datetime.now(UTC))
    )
