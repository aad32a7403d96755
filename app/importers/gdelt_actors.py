"""Actor1/Actor2 of a GDELT row -> imported actors, deduplicated by CAMEO code and name.

An actor's id is `gdelt-<code>-<name>` as a slug ("USAGOV", "PRESIDENT" ->
gdelt-usagov-president): the same code and name in any row or file is the same actor.
Its kind follows the CAMEO type codes: a bare country code is a state; government,
military, police, judiciary, legislature, intelligence, business, media, education,
health, NGO, IGO and UN codes make an organization; everything else (rebels, civilians,
opposition, ...) a group. GDELT does not tell people apart from roles, so no actor is
a person. Names are GDELT's upper case, written in title case for reading.
"""

from app.importers.lookups import cameo_country_labels, cameo_type_labels
from app.importers.records import slug

_ORGANIZATION_TYPES = {
    "GOV", "MIL", "COP", "JUD", "LEG", "SPY", "BUS", "MNC", "MED", "EDU", "HLH", "NGO", "IGO",
    "UNO", "AMN", "IRC", "GRP", "PKO", "DEV", "ENV", "HRI", "LAB", "AGR",
}
_SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "at", "to", "de", "la", "du", "del"}

Actor = tuple[str, str, str, str, str, str]  # code, name, country code, type 1, type 2, type 3


def titled(name: str) -> str:
    """GDELT's upper-case names for reading: "UNITED STATES OF AMERICA" -> "United States of America"."""
    words = name.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def actor_row(fields: Actor) -> tuple | None:
    """The actor row GDELT's Actor fields describe, or None when the row names no actor."""
    code, raw_name, country, *type_codes = fields
    if not code:
        return None
    types = [t for t in type_codes if t]
    name_slug = slug(raw_name)
    actor_id = "gdelt-" + slug(code, 30) + ("-" + name_slug if name_slug else "")
    name = titled(raw_name) if raw_name else code
    if country and not types and code == country:
        kind = "state"
    elif any(t in _ORGANIZATION_TYPES for t in types):
        kind = "organization"
    else:
        kind = "group"
    described = [cameo_country_labels().get(country, country)] if country else []
    described += [cameo_type_labels().get(t, t) for t in types]
    detail = f" ({'; '.join(described)})" if described else ""
    description = f"CAMEO actor code {code}{detail}, as GDELT's machine coding names it."
    return (actor_id, name, kind, description, None, code, country[:3] if country else None)
