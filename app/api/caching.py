"""HTTP caching: ETags from the data version, conditional requests, Cache-Control."""

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Add ETag, If-None-Match and Cache-Control handling to every GET."""
