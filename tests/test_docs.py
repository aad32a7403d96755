"""The README stays true: its test command is CI's, and every setting is documented."""

import re
from pathlib import Path

from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(text: str) -> list[str]:
    return re.findall(r"^(python3 -m venv .*)$", text, flags=re.MULTILINE)


def test_ci_runs_exactly_the_readme_test_command():
    readme = _commands(README)
    ci = _commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert len(readme) == 2
    assert ci == [readme[1]]
    assert readme[1].endswith(".venv/bin/pytest")
    assert readme[0].endswith(".venv/bin/geoevents serve")


def test_every_setting_is_documented():
    for name in Settings.model_fields:
        assert f"`GEOEVENTS_{name.upper()}`" in README, name
