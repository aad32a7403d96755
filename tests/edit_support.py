"""Shared by the editing tests: the brief coded again, tokens, and what to compare."""

from pathlib import Path

from sqlalchemy import Engine

from app.auth.tokens import create_token
from app.database import write_transaction
from tests.helpers import snapshot

BRIEF = "2025-08-15-putin-trump-alaska-summit"
TEXT = (Path(__file__).resolve().parent.parent / "seeds" / f"{BRIEF}.txt").read_text(encoding="utf-8")
# A small coding of the brief, loaded again as a source of the API's own.
SUMMIT = (
    "On August 15, 2025, Presidents Vladimir Putin and Donald Trump met for roughly three hours at Joint "
    "Base Elmendorf-Richardson in Anchorage, joined by top aides."
)
QUIET = "this must be done calmly, in the quiet of the negotiation process"
CODING = {
    "source": {
        "id": "alaska-brief-copy",
        "title": "Alaska brief, annotated",
        "publisher": "Example Weekly",
        "published": "2025-08-16",
    },
    "quotes": [
        {"id": "copy-summit-details", "kind": "excerpt", "text": SUMMIT},
        {"id": "copy-putin-quiet", "kind": "statement", "speaker": "vladimir-putin", "text": QUIET},
    ],
    "events": [
        {
            "id": "copy-summit",
            "title": "Putin and Trump talk for three hours",
            "summary": "A long meeting in Anchorage.",
            "type": "CONSULT",
            "status": "occurred",
            "date": {"precision": "day", "start": "2025-08-15"},
            "actors": [{"id": "vladimir-putin", "role": "participant"}, {"id": "donald-trump", "role": "participant"}],
            "regions": ["anchorage"],
            "figures": [{"value": 3, "unit": "hours", "text": "roughly three hours"}],
            "quotes": ["copy-summit-details", "copy-putin-quiet"],
        },
    ],
}
# Offsets found in the .txt independently (python3 -c, str.index): 271-431, 1016-1081, 342-361.
SUMMIT_SPAN, QUIET_SPAN, FIGURE_SPAN = (
    {"start": 271, "end": 431},
    {"start": 1016, "end": 1081},
    {"start": 342, "end": 361},
)
# The data version after the seed: 1 source, 22 actors, 21 regions, 28 quotes, 25 events.
SEEDED_VERSION = 97


def tokens(engine: Engine) -> tuple[str, str]:
    """A write token for 'alice' and a read token for 'rita'."""
    with write_transaction(engine) as connection:
        return create_token(connection, "alice", "write"), create_token(connection, "rita", "read")


def records(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table but api_token (whose last use a request records by design)."""
    return {name: rows for name, rows in snapshot(engine).items() if name != "api_token"}


def problem(response, status: int) -> dict:
    """The problem+json body of a refusal with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()
