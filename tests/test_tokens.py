"""Tokens: created once, stored as a salted hash, listed, revoked; 401 and 403 over HTTP;
reads behind a token when GEOEVENTS_REQUIRE_TOKEN_FOR_READS is set."""

import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

import app.cli.tokens  # noqa: F401 - registers `geoevents token` until app/cli/__init__.py imports it
from app import tables
from app.api.app import create_app
from app.auth.tokens import (
    TokenError,
    TokenOwner,
    create_token,
    list_tokens,
    record_use,
    revoke_token,
    verify_token,
)
from app.cli import main
from app.database import write_transaction
from app.settings import Settings
from tests.edit_support import problem, tokens

# The `editor` fixture: an app over a seeded database of each test's own, with tokens.
pytest_plugins = ["tests.edit_fixtures"]

TOKEN = re.compile(r"geo_[A-Za-z0-9_-]{43}")
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
USED = datetime(2026, 1, 3, 4, 5, 6, tzinfo=UTC)
REVOKED = datetime(2026, 1, 4, 5, 6, 7, tzinfo=UTC)
CHALLENGE = 'Bearer realm="geoevents"'
INVALID = 'Bearer realm="geoevents", error="invalid_token"'


def stored(engine, name: str) -> dict:
    with engine.connect() as connection:
        return dict(
            connection.execute(select(tables.api_token).where(tables.api_token.c.name == name)).mappings().one()
        )


def test_a_token_is_shown_once_and_only_its_salted_hash_is_stored(engine):
    with write_transaction(engine) as connection:
        first = create_token(connection, "alice", "write", now=CREATED)
        second = create_token(connection, "bob", "write", now=CREATED)
    assert TOKEN.fullmatch(first) and TOKEN.fullmatch(second) and first != second
    row = stored(engine, "alice")
    assert row["prefix"] == first[:12]
    assert re.fullmatch(r"scrypt:16384:8:1:[0-9a-f]{64}", row["hash"])
    assert first not in row["hash"] and first[12:] not in str(row)
    assert re.fullmatch(r"[0-9a-f]{32}", row["salt"])
    # A salt of its own: the same token under another salt would hash differently.
    assert row["salt"] != stored(engine, "bob")["salt"]
    with engine.connect() as connection:
        verified = verify_token(connection, first)
        assert verified.owner == TokenOwner("alice", "write")
        assert verified.stale_use is True
        assert verify_token(connection, first[:-1] + ("A" if first[-1] != "A" else "B")) is None
        assert verify_token(connection, "geo_" + "x" * 43) is None
        assert verify_token(connection, "not a token") is None


def test_list_revoke_and_last_use(engine):
    with write_transaction(engine) as connection:
        token = create_token(connection, "alice", "write", now=CREATED)
        create_token(connection, "rita", "read", now=CREATED)
    with engine.connect() as connection:
        verified = verify_token(connection, token)
    with write_transaction(engine) as connection:
        record_use(connection, verified.token_id, now=USED)
        revoke_token(connection, "rita", now=REVOKED)
    with engine.connect() as connection:
        assert list_tokens(connection) == [
            {
                "name": "alice",
                "scope": "write",
                "prefix": token[:12],
                "created_at": CREATED,
                "last_used_at": USED,
                "revoked_at": None,
            },
            {
                "name": "rita",
                "scope": "read",
                "prefix": stored(engine, "rita")["prefix"],
                "created_at": CREATED,
                "last_used_at": None,
                "revoked_at": REVOKED,
            },
        ]
        # Used a minute ago: not written again yet.
        assert verify_token(connection, token, now=datetime(2026, 1, 3, 4, 5, 30, tzinfo=UTC)).stale_use is False
        assert verify_token(connection, token, now=datetime(2026, 1, 3, 4, 6, 6, tzinfo=UTC)).stale_use is True
    with write_transaction(engine) as connection:
        revoke_token(connection, "alice", now=REVOKED)
    with engine.connect() as connection:
        assert verify_token(connection, token) is None


@pytest.mark.parametrize(
    ("name", "scope", "message"),
    [
        ("alice", "write", "a token named 'alice' exists already; revoke it or choose another name"),
        ("seed", "write", "token name 'seed' is reserved: the change feed uses it for seed writes"),
        ("import", "read", "token name 'import' is reserved: the change feed uses it for import writes"),
        ("bob", "owner", "scope 'owner' is not one of read, write, admin"),
        (
            "-bob",
            "read",
            "token name '-bob' must be 1 to 100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
        ),
        (
            "",
            "read",
            "token name '' must be 1 to 100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
        ),
    ],
)
def test_refused_tokens(engine, name, scope, message):
    with write_transaction(engine) as connection:
        create_token(connection, "alice", "write")
    with pytest.raises(TokenError) as refused, write_transaction(engine) as connection:
        create_token(connection, name, scope)
    assert str(refused.value) == message


def test_revoking_what_is_not_there(engine):
    with write_transaction(engine) as connection:
        create_token(connection, "alice", "write")
        revoke_token(connection, "alice", now=REVOKED)
    with pytest.raises(TokenError) as unknown, write_transaction(engine) as connection:
        revoke_token(connection, "bob")
    assert str(unknown.value) == "no token named 'bob'"
    with pytest.raises(TokenError) as again, write_transaction(engine) as connection:
        revoke_token(connection, "alice")
    assert str(again.value) == "token 'alice' was already revoked at 2026-01-04T05:06:07+00:00"


def test_the_command_line(engine, database_url):
    runner = CliRunner()
    created = runner.invoke(
        main, ["token", "create", "--name", "alice", "--scope", "write", "--database-url", database_url]
    )
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert TOKEN.fullmatch(token)
    assert created.stderr == "Token 'alice' (write) created. It is shown only this once: keep it secret.\n"
    default = runner.invoke(main, ["token", "create", "--name", "rita", "--database-url", database_url])
    assert default.exit_code == 0
    # Fixed timestamps, so the table can be compared whole.
    with write_transaction(engine) as connection:
        connection.execute(tables.api_token.update().values(created_at=CREATED))
        record_use(connection, verify_token(connection, token).token_id, now=USED)
    revoked = runner.invoke(main, ["token", "revoke", "rita", "--database-url", database_url])
    assert (revoked.exit_code, revoked.stdout) == (0, "Token 'rita' revoked.\n")
    with write_transaction(engine) as connection:
        connection.execute(
            tables.api_token.update().where(tables.api_token.c.name == "rita").values(revoked_at=REVOKED)
        )
    listed = runner.invoke(main, ["token", "list", "--database-url", database_url])
    rita = stored(engine, "rita")["prefix"]
    assert listed.stdout.splitlines() == [
        "name   scope  prefix        created               last used             revoked",
        f"alice  write  {token[:12]}  2026-01-02T03:04:05Z  2026-01-03T04:05:06Z  -",
        f"rita   read   {rita}  2026-01-02T03:04:05Z  never                 2026-01-04T05:06:07Z",
    ]
    assert token not in listed.output
    again = runner.invoke(main, ["token", "revoke", "rita", "--database-url", database_url])
    assert (again.exit_code, again.stderr) == (
        1,
        "error: token 'rita' was already revoked at 2026-01-04T05:06:07+00:00\n",
    )
    taken = runner.invoke(main, ["token", "create", "--name", "alice", "--database-url", database_url])
    assert (taken.exit_code, taken.stderr) == (
        1,
        "error: a token named 'alice' exists already; revoke it or choose another name\n",
    )


ACTOR = {
    "id": "russian-businessmen",
    "name": "Russian businessmen",
    "kind": "group",
    "aliases": ["Russian businessmen"],
    "description": "Russian business figures at the summit.",
    "affiliation": "russia",
}


@pytest.mark.parametrize(
    ("headers", "challenge", "detail"),
    [
        (
            {},
            CHALLENGE,
            "This request needs a bearer token with scope 'write' or wider: `Authorization: Bearer geo_...`.",
        ),
        (
            {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
            CHALLENGE,
            "This request needs a bearer token with scope 'write' or wider: `Authorization: Bearer geo_...`.",
        ),
        (
            {"Authorization": "Bearer geo_" + "A" * 43},
            INVALID,
            "The bearer token is not valid: it is unknown, mistyped or revoked.",
        ),
        (
            {"Authorization": "Bearer nonsense"},
            INVALID,
            "The bearer token is not valid: it is unknown, mistyped or revoked.",
        ),
    ],
)
def test_writes_without_a_valid_token_are_401(editor, headers, challenge, detail):
    before = editor.changes()
    response = editor.client.post("/api/v1/actors", json=ACTOR, headers=headers)
    assert problem(response, 401) == {
        "type": "/problems/unauthorized",
        "title": "Unauthorized",
        "status": 401,
        "detail": detail,
        "instance": "/api/v1/actors",
    }
    assert response.headers["www-authenticate"] == challenge
    assert editor.changes() == before == []


def test_a_read_token_writing_is_403_and_a_revoked_one_401(editor):
    response = editor.client.post("/api/v1/actors", json=ACTOR, headers=editor.read)
    assert problem(response, 403)["detail"] == "Token 'rita' has scope 'read'; this request needs 'write' or wider."
    assert response.headers["www-authenticate"] == 'Bearer realm="geoevents", error="insufficient_scope", scope="write"'
    with write_transaction(editor.engine) as connection:
        revoke_token(connection, "alice")
    revoked = editor.client.post("/api/v1/actors", json=ACTOR, headers=editor.write)
    assert problem(revoked, 401)["type"] == "/problems/unauthorized"
    assert revoked.headers["www-authenticate"] == INVALID
    assert editor.client.get("/api/v1/actors/russian-businessmen").status_code == 404


def test_a_use_is_recorded(editor):
    assert stored(editor.engine, "alice")["last_used_at"] is None
    response = editor.client.post("/api/v1/actors", json=ACTOR, headers=editor.write)
    assert response.status_code == 201
    assert stored(editor.engine, "alice")["last_used_at"] is not None
    assert stored(editor.engine, "rita")["last_used_at"] is None


@pytest.fixture
def guarded(seeded_engine, database_url):
    """The API with GEOEVENTS_REQUIRE_TOKEN_FOR_READS set, and a read token."""
    _, read = tokens(seeded_engine)
    settings = Settings(database_url=database_url, require_token_for_reads=True)
    with TestClient(create_app(settings)) as client:
        yield client, {"Authorization": f"Bearer {read}"}


@pytest.mark.parametrize(
    "path",
    ["/api/v1/events", "/api/v1/actors/vladimir-putin", "/api/v1/changes", "/api/v1/search?q=putin", "/api/v1/nowhere"],
)
def test_reads_can_require_a_token(guarded, path):
    client, read = guarded
    refused = client.get(path)
    assert problem(refused, 401)["detail"] == (
        "This request needs a bearer token with scope 'read' or wider: `Authorization: Bearer geo_...`."
    )
    assert refused.headers["www-authenticate"] == CHALLENGE
    assert refused.headers["cache-control"] == "no-store"
    wrong = client.get(path, headers={"Authorization": "Bearer geo_" + "B" * 43})
    assert problem(wrong, 401)["detail"] == "The bearer token is not valid: it is unknown, mistyped or revoked."
    allowed = client.get(path, headers=read)
    assert allowed.status_code == (404 if path == "/api/v1/nowhere" else 200)


def test_guarded_reads_are_private_and_revalidate_only_with_a_token(guarded):
    client, read = guarded
    first = client.get("/api/v1/events", headers=read)
    assert first.headers["cache-control"] == "private, no-cache"
    etag = first.headers["etag"]
    # Holding a tag is no way around the token: no 304 without it.
    assert problem(client.get("/api/v1/events", headers={"If-None-Match": etag}), 401)["status"] == 401
    again = client.get("/api/v1/events", headers={**read, "If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["cache-control"]) == (304, b"", "private, no-cache")


@pytest.mark.parametrize("path", ["/health", "/openapi.json", "/docs", "/", "/events/putin-trump-alaska-summit"])
def test_health_docs_and_the_explorer_page_stay_open(guarded, path):
    client, _ = guarded
    assert client.get(path).status_code == 200


def test_openapi_names_the_bearer_scheme(guarded, client):
    open_spec = client.get("/openapi.json").json()
    assert open_spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert open_spec["paths"]["/api/v1/events"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in open_spec["paths"]["/api/v1/events"]["get"]
    guarded_client, _ = guarded
    guarded_spec = guarded_client.get("/openapi.json").json()
    assert guarded_spec["paths"]["/api/v1/events"]["get"]["security"] == [{"bearer": []}]
    assert guarded_spec["paths"]["/api/v1/changes"]["get"]["security"] == [{"bearer": []}]
