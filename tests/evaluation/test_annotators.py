"""docs/evaluation/annotators.py on a small labelled file written here (never the dev set)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "evaluation" / "annotators.py"

OFFER = "Genuine antique elephant ivory carving for sale, $450, WhatsApp +44 7700 900123"
NEWS = "Customs officers seized 2 tonnes of ivory at the port today, police said"


def _run(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(path), *extra],
                          capture_output=True, text=True, check=False)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def test_counts_annotators_votes_on_the_models_errors(tmp_path: Path) -> None:
    source = tmp_path / "labelled.jsonl"
    # The offer is labelled 0 with one annotator calling it an offer: a false positive at
    # both points, "1 of 3". The news post is labelled 1 by all three: a false negative.
    _write(source, [
        {"id": "a", "text": OFFER, "label": 0, "annotators": [1, 0, 0]},
        {"id": "b", "text": NEWS, "label": 1, "annotators": [1, 1, 1]},
        {"id": "c", "text": OFFER, "label": 1, "annotators": [1, 1, 0]},
        {"id": "d", "text": NEWS, "label": 0, "annotators": [0, 0, 0]},
    ])
    done = _run(source, "--model")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "4 posts, 2 offers; all three agree on 50.0%"
    cells = [[cell.strip() for cell in line.strip("|").split("|")]
             for line in lines if line.startswith(("| flagged", "| likely"))]
    # Keyed by the point's name without its threshold, and the kind of error.
    table = {(row[0].split()[0], row[1]): row[2:] for row in cells}
    assert table[("flagged", "false positive")] == ["1", "0", "1", "0", "0"]
    assert table[("flagged", "false negative")] == ["1", "0", "0", "0", "1"]
    assert table[("likely", "false positive")] == ["1", "0", "1", "0", "0"]


def test_a_row_without_votes_is_named(tmp_path: Path) -> None:
    source = tmp_path / "labelled.jsonl"
    _write(source, [{"id": "a", "text": NEWS, "label": 0, "annotators": [0, 0, 0]},
                    {"id": "b", "text": NEWS, "label": 0}])
    done = _run(source)
    assert done.returncode == 1
    assert f"{source}:2: needs an id, a label and three annotators' votes" in done.stderr
