"""Country regions shared by every importer: a stored country is reused by its ISO code.

A reference region (seeds/reference.yaml: `ukraine` for UA) is referred to and never
written; a country no region has yet is created as `country-<iso>` with its GeoNames name.
"""

from sqlalchemy import Connection, select

from app.importers.lookups import countries
from app.importers.records import Batch
from app.tables import region

# Which stored region stands for a country when several carry its ISO code.
_PREFERENCE = {"seed": 0, "api": 1, "import": 2}


class CountryRegions:
    """ISO code -> the region id that stands for the country, read once per transaction."""

    def __init__(self, connection: Connection):
        query = select(region.c.id, region.c.iso_code, region.c.origin).where(
            region.c.kind == "country", region.c.iso_code.is_not(None)
        )
        best: dict[str, tuple[int, str]] = {}
        self.origin: dict[str, str] = {}
        for region_id, iso, origin in connection.execute(query):
            rank = (_PREFERENCE.get(origin, 3), region_id)
            if iso not in best or rank < best[iso]:
                best[iso] = rank
                self.origin[iso] = origin
        self.ids = {iso: rank[1] for iso, rank in best.items()}

    def region_id(self, batch: Batch, iso: str, *, lat: float | None = None, lon: float | None = None,
                  fips: str | None = None) -> str:
        """The country's region id; adds the country to `batch` unless seeding or the API owns it."""
        stored = self.ids.get(iso)
        if stored is not None and self.origin[iso] != "import":
            return stored
        region_id = stored or f"country-{iso.lower()}"
        name = countries()[iso].name
        batch.add_region((region_id, name, "country", None, iso, None, lat, lon, fips), [name])
        return region_id
