"""`geoevents import ...`: event data from other datasets and from `geoevents export`."""

from app.cli import main


@main.group("import")
def import_group() -> None:
    """Import event data (GDELT, UCDP, JSON Lines exports)."""
