"""The README stays true: its test command is CI's, and every setting is documented."""

import re
from pathlib import Path

from app.api.problems import PROBLEM_TYPES
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


def _section(heading: str) -> str:
    """The README text under `heading`, up to the next heading of its level or above."""
    level = heading.split(" ")[0]
    start = README.index(f"\n{heading}\n")
    ends = [README.find(f"\n{'#' * n} ", start + 1) for n in range(1, len(level) + 1)]
    return README[start : min([end for end in ends if end != -1] or [len(README)])]


def test_every_problem_type_is_documented_under_errors():
    errors = _section("### Errors")
    for name in PROBLEM_TYPES:
        assert f"| `/problems/{name}` |" in errors, name


def test_every_test_file_the_reliability_section_names_exists():
    named = set(re.findall(r"tests/test_[a-z_]+\.py", _section("## Security and reliability")))
    assert named
    assert sorted(name for name in named if not (ROOT / name).is_file()) == []
