"""Shared by the loader's tests: a private copy of seeds/ to break, and what a seed left."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from app import tables
from app.loader import CodingError, seed
from tests.conftest import SEEDS
from tests.helpers import snapshot

DOC = "seeds/2025-08-15-putin-trump-alaska-summit.yaml"
TXT = "seeds/2025-08-15-putin-trump-alaska-summit.txt"
REF = "seeds/reference.yaml"
SOURCE_ID = "2025-08-15-putin-trump-alaska-summit"


def _counts(created: int = 0, updated: int = 0, unchanged: int = 0, deleted: int = 0) -> dict[str, int]:
    return {"created": created, "updated": updated, "unchanged": unchanged, "deleted": deleted}


FIRST_TALLY = {
    "source": _counts(created=1),
    "actor": _counts(created=22),
    "region": _counts(created=21),
    "quote": _counts(created=28),
    "event": _counts(created=25),
}
UNCHANGED_TALLY = {
    "source": _counts(unchanged=1),
    "actor": _counts(unchanged=22),
    "region": _counts(unchanged=21),
    "quote": _counts(unchanged=28),
    "event": _counts(unchanged=25),
}


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of seeds/, with the working directory set so files show as seeds/..."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    monkeypatch.chdir(tmp_path)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a coding file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def doc(seeds: Path) -> Path:
    return seeds / "2025-08-15-putin-trump-alaska-summit.yaml"


def ref(seeds: Path) -> Path:
    return seeds / "reference.yaml"


def txt(seeds: Path) -> Path:
    return seeds / "2025-08-15-putin-trump-alaska-summit.txt"


def count(engine: Engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def ids(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as connection:
        return {
            table.name: sorted(connection.execute(select(table.c.id)).scalars())
            for table in (tables.source, tables.actor, tables.region, tables.quote, tables.event)
        }


def problems_of(engine: Engine, seeds: Path) -> list[str]:
    """Seed a broken copy: it must fail, and leave the database exactly as it was."""
    before = snapshot(engine)
    with pytest.raises(CodingError) as raised:
        seed(engine, [seeds])
    assert snapshot(engine) == before
    return [str(problem) for problem in raised.value.problems]
