"""The lookup tables importers need, read once from app/importers/data (see its README.md).

CAMEO event codes and labels, the CAMEO -> PLOVER mapping, CAMEO actor country and type
labels, GeoNames' country table (FIPS 10-4 -> ISO 3166-1, names) and Gleditsch & Ward
numbers -> ISO codes. Every table is a tab-separated file with a header row.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.coding.vocabulary import EventType

DATA = Path(__file__).resolve().parent / "data"

# GDELT's CAMEO.eventcodes.txt carries code 044 as mis-encoded curly quotes that also lost
# a letter ("Meet at a ÒhirdÓlocation"); this is what the codebook prints.
_LABEL_CORRECTIONS = {"044": "Meet at a \u201cthird\u201d location"}

# FIPS 10-4 codes GDELT uses that GeoNames folds into another country: the Gaza Strip is
# part of the Palestinian Territory, which GeoNames files under the West Bank's code (WE).
_FIPS_SUPPLEMENT = {"GZ": "PS"}


def _rows(name: str) -> list[list[str]]:
    """The data rows of a bundled table: comment lines (#) and the header row skipped."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return rows[1:]


@dataclass(frozen=True)
class Country:
    """A country as GeoNames lists it."""

    iso: str
    iso3: str
    fips: str
    name: str


@cache
def cameo_labels() -> dict[str, str]:
    """CAMEO event code ("043") -> its label in the codebook's words."""
    labels = {code: label.strip() for code, label in _rows("CAMEO.eventcodes.txt")}
    labels.update(_LABEL_CORRECTIONS)
    return labels


@cache
def _plover_prefixes() -> dict[str, str]:
    mapping = {}
    for code, plover, _note in _rows("cameo_plover.tsv"):
        mapping[code] = EventType(plover).value
    return mapping


@cache
def plover_type(cameo_code: str) -> str | None:
    """The PLOVER type of a CAMEO event code: the row of its longest listed prefix."""
    prefixes = _plover_prefixes()
    for length in range(len(cameo_code), 1, -1):
        found = prefixes.get(cameo_code[:length])
        if found is not None:
            return found
    return None


@cache
def countries() -> dict[str, Country]:
    """ISO 3166-1 alpha-2 -> Country."""
    found = {}
    for row in _rows("countryInfo.txt"):
        found[row[0]] = Country(iso=row[0], iso3=row[1], fips=row[3], name=row[4].strip())
    return found


@cache
def fips_to_iso() -> dict[str, str]:
    """FIPS 10-4 country code (GDELT's geo codes) -> ISO 3166-1 alpha-2."""
    mapping = {c.fips: c.iso for c in countries().values() if c.fips}
    mapping.update(_FIPS_SUPPLEMENT)
    return mapping


@cache
def gwno_to_iso() -> dict[str, str]:
    """Gleditsch & Ward state number ("652") -> ISO 3166-1 alpha-2."""
    return {gwno: iso for gwno, iso, _name in _rows("gwno_iso.tsv")}


@cache
def country_by_name() -> dict[str, str]:
    """GeoNames country name -> ISO code, the fallback when a number is not in gwno_iso.tsv."""
    return {c.name: c.iso for c in countries().values()}


@cache
def cameo_country_labels() -> dict[str, str]:
    """CAMEO actor country/region code ("RUS", "AFR") -> label."""
    return {code: label.strip() for code, label in _rows("cameoCountry.txt")}


@cache
def cameo_type_labels() -> dict[str, str]:
    """CAMEO actor type code ("GOV") -> label."""
    return {code: label.strip() for code, label in _rows("cameoType.txt")}
