"""The `geoevents` command. Each module adds its commands to `main` when imported."""

import click


@click.group()
@click.version_option(package_name="geoevents")
def main() -> None:
    """geoevents: a REST API for geopolitical events traced to their sources."""


# Imported for their side effect of registering commands on `main`.
from app.cli import database, generate, imports, seeding, server, tokens, transfer  # noqa: E402, F401
