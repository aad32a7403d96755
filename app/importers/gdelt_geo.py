"""ActionGeo_* of a GDELT row -> a region in the hierarchy: country > ADM1 > place.

GDELT geo types: 1 country, 2 US state, 3 US city or landmark, 4 world city or landmark,
5 world ADM1 ("state"). Country codes are FIPS 10-4, mapped to ISO 3166-1 through GeoNames'
countryInfo.txt (UP -> UA, so Ukraine is the reference region `ukraine`). ADM1 codes are
the FIPS country code and two characters ("USOR"); "00" means no ADM1 is known ("GG00",
"Georgia (general)") and makes no region. The regions:

- country: see app.importers.places; its coordinates come from a type-1 row;
- ADM1 `gdelt-adm1-<code>` (kind subdivision, external_id the ADM1 code), named from the
  full name ("Oregon, United States" -> Oregon; "Salem, Oregon, United States" -> Oregon),
  with coordinates from a type 2 or 5 row, which locates the ADM1 itself;
- place `gdelt-place-<FeatureID>` (kind city, external_id the FeatureID; GNS ids are
  negative, "-2891161" -> gdelt-place-n2891161) for types 3 and 4, named by the first part
  of the full name, under its ADM1, else its country.

The event is placed in the finest of these the row gives. A type-0 row names no place,
only codes, so it gets its ADM1 or country at most.
"""

from app.importers.lookups import fips_to_iso
from app.importers.places import CountryRegions
from app.importers.records import Batch, slug
from app.importers.report import RowError


def _number(value: str, field: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise RowError("bad-coordinates", f"ActionGeo_{field} {value!r} is not a number") from None


Geo = tuple[str, str, str, str, str, str, str]  # type, full name, country, ADM1, lat, long, feature id


def _adm1_name(geo_type: str, full_name: str) -> str | None:
    parts = [p.strip() for p in full_name.split(",")]
    if geo_type == "2" and len(parts) == 2:
        return parts[0]
    if len(parts) >= 3:
        return ", ".join(parts[1:-1])
    return None


def action_region(batch: Batch, geo: Geo, countries: CountryRegions) -> str | None:
    """The id of the finest region the row's ActionGeo names (added to `batch`), or None."""
    geo_type, full_name, country, adm1, raw_lat, raw_lon, feature = geo
    lat, lon = _number(raw_lat, "Lat"), _number(raw_lon, "Long")
    if (lat is None) != (lon is None) or (lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)):
        raise RowError("bad-coordinates", f"ActionGeo point ({raw_lat!r}, {raw_lon!r}) is not a coordinate pair")
    iso = fips_to_iso().get(country) if country else None
    parent = None
    if iso is not None:
        located = geo_type == "1"
        parent = countries.region_id(batch, iso, lat=lat if located else None, lon=lon if located else None,
                                     fips=country)
    if geo_type == "1":
        return parent
    name = _adm1_name(geo_type, full_name)
    if len(adm1) == 4 and not adm1.endswith("00") and name:
        located = geo_type in ("2", "5")
        adm1_id = f"gdelt-adm1-{slug(adm1)}"
        batch.add_region((adm1_id, name, "subdivision", None, None, parent,
                          lat if located else None, lon if located else None, adm1))
        parent = adm1_id
        if located:
            return adm1_id
    if geo_type in ("3", "4") and feature and feature != "0" and full_name:
        place_id = "gdelt-place-" + slug(("n" + feature[1:]) if feature.startswith("-") else feature)
        place_name = full_name.split(",")[0].strip()
        batch.add_region((place_id, place_name, "city", None, None, parent, lat, lon, feature))
        return place_id
    return parent
