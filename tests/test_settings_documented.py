"""docs/operators.md is the one reference for settings: every setting is in it."""

from pathlib import Path

from wildwatch.settings import Settings

OPERATORS = Path(__file__).parents[1] / "docs" / "operators.md"


def test_every_setting_is_documented() -> None:
    text = OPERATORS.read_text()
    missing = [name for name in Settings.model_fields if f"`WILDWATCH_{name.upper()}`" not in text]
    assert missing == []
