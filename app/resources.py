"""Where the migrations and the bundled seed documents live.

An editable install reads them from the repository root; a wheel carries copies inside
the package (see `force-include` in pyproject.toml).
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    bundled = _PACKAGE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def migrations_dir() -> Path:
    """The Alembic script directory."""
    return _resource("migrations")


def seeds_dir() -> Path:
    """The folder of bundled source documents and their coding."""
    return _resource("seeds")
