"""The explorer: a browser frontend at / that uses nothing but the public API."""

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Serve the explorer's page and static assets."""
