"""The bundled brief and its coding: byte-for-byte source, valid coding, published schema."""

import hashlib
import json

from click.testing import CliRunner

from app.cli import main
from app.loader import read_dataset
from tests.conftest import SEEDS

BRIEF_SHA256 = "fa96f930c16016120ed82a36b956676c24c9cc9a8af13f7fc52e3f3f5e8d1969"


def test_brief_is_the_original_byte_for_byte():
    data = (SEEDS / "2025-08-15-putin-trump-alaska-summit.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == BRIEF_SHA256
    text = data.decode("utf-8")
    assert len(text) == 3883
    assert text.count("\u00a0") == 2
    assert text.count("’") == 9


def test_coding_holds_everything_the_brief_codes():
    assert read_dataset([SEEDS]).counts() == {"source": 1, "actor": 22, "region": 21, "quote": 28, "event": 25}


def test_published_json_schemas_match_the_models():
    runner = CliRunner()
    for kind in ("document", "reference"):
        result = runner.invoke(main, ["schema", kind])
        assert result.exit_code == 0, result.output
        published = json.loads((SEEDS / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert json.loads(result.output) == published, f"regenerate seeds/schema/{kind}.schema.json"
