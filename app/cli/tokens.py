"""`geoevents token create|list|revoke`: bearer tokens for the editing API."""

import sys
from datetime import datetime

import click

from app.auth.tokens import SCOPES, TokenError, create_token, list_tokens, revoke_token
from app.cli import main
from app.cli.common import database_url_option, engine_for
from app.database import write_transaction
from app.migrate import upgrade


def _refuse(error: TokenError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(1)


def _when(moment: datetime | None, missing: str) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else missing


@main.group("token")
def token_group() -> None:
    """Bearer tokens for the editing API (shown once, stored hashed)."""


@token_group.command("create")
@click.option("--name", required=True, help="Who the token is for; recorded with every change it makes.")
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="read",
    show_default=True,
    help="read: GETs when reads need a token; write and admin: also POST, PATCH, DELETE.",
)
@database_url_option
def create_command(name: str, scope: str, database_url: str | None) -> None:
    """Create a token and print it: it is shown this once and cannot be recovered."""
    engine = engine_for(database_url)
    upgrade(engine)
    try:
        with write_transaction(engine) as connection:
            token = create_token(connection, name, scope)
    except TokenError as error:
        _refuse(error)
    # The token alone on stdout, so `TOKEN=$(geoevents token create ...)` works.
    click.echo(token)
    click.echo(f"Token {name!r} ({scope}) created. It is shown only this once: keep it secret.", err=True)


@token_group.command("list")
@database_url_option
def list_command(database_url: str | None) -> None:
    """Every token: name, scope, prefix, created, last used, revoked (never the token)."""
    engine = engine_for(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        tokens = list_tokens(connection)
    rows = [("name", "scope", "prefix", "created", "last used", "revoked")] + [
        (
            t["name"],
            t["scope"],
            t["prefix"],
            _when(t["created_at"], "-"),
            _when(t["last_used_at"], "never"),
            _when(t["revoked_at"], "-"),
        )
        for t in tokens
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@token_group.command("revoke")
@click.argument("name")
@database_url_option
def revoke_command(name: str, database_url: str | None) -> None:
    """Revoke the token called NAME: every request with it is refused from now on."""
    engine = engine_for(database_url)
    upgrade(engine)
    try:
        with write_transaction(engine) as connection:
            revoke_token(connection, name)
    except TokenError as error:
        _refuse(error)
    click.echo(f"Token {name!r} revoked.")
