"""The command line, and the messages people read, checked against golden files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wildwatch.cli.main import app

GOLDEN = Path(__file__).parent.parent / "golden"
RUNNER = CliRunner()
SAMPLES = Path(__file__).parent.parent.parent / "samples" / "posts.jsonl"

GOOD_HEAD = "id: demo\nname: Demo\nsources:\n  seed: Demo source\nterms:\n"
BAD_LEXICONS = {
    "unknown_kind": GOOD_HEAD + "  - {text: ivory, kind: produce, lang: en, source: seed}\n",
    "missing_text": GOOD_HEAD + "  - {kind: product, lang: en, source: seed}\n",
    "bad_weight": GOOD_HEAD + "  - {text: ivory, kind: product, lang: en, weight: 3}\n",
    "duplicate": GOOD_HEAD + "  - {text: ivory, kind: product, lang: en}\n"
                             "  - {text: Ivory, kind: product, lang: en}\n",
    "not_yaml": GOOD_HEAD + "  - {text: ivory, kind: product\n",
    "unknown_key": GOOD_HEAD + "  - {text: ivory, kind: product, lang: en, colour: red}\n",
    "hashtag_without_hash": GOOD_HEAD + "  - {text: carvedivory, kind: hashtag, lang: en}\n",
    "unknown_source": GOOD_HEAD + "  - {text: ivory, kind: product, lang: en, source: nrdc}\n",
    "bad_group_id": GOOD_HEAD.replace("id: demo", "id: Demo Group")
                    + "  - {text: ivory, kind: product, lang: en}\n",
}


@pytest.mark.parametrize("case", sorted(BAD_LEXICONS))
def test_lexicon_errors_name_file_line_and_fix(case: str, tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(BAD_LEXICONS[case], encoding="utf-8")
    result = RUNNER.invoke(app, ["lexicon", "check", "--lexicon", str(tmp_path)])
    assert result.exit_code == 1
    message = " ".join(result.output.replace(str(tmp_path), "<dir>").split())
    golden = GOLDEN / f"lexicon_{case}.txt"
    if os.environ.get("WILDWATCH_UPDATE_GOLDEN"):
        golden.write_text(message + "\n", encoding="utf-8")
    assert message == golden.read_text(encoding="utf-8").strip()


def test_the_shipped_lexicon_checks_clean() -> None:
    result = RUNNER.invoke(app, ["lexicon", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_lexicon_export_lists_every_term(tmp_path: Path) -> None:
    out = tmp_path / "terms.csv"
    result = RUNNER.invoke(app, ["lexicon", "export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "group,text,kind,lang,weight,source,variant_of,note"
    assert len(rows) > 1000


def test_scan_the_samples(tmp_path: Path) -> None:
    out, summary = tmp_path / "v.jsonl", tmp_path / "s.json"
    result = RUNNER.invoke(app, ["scan", str(SAMPLES), "-o", str(out), "--all", "-w", "1",
                                 "--summary-json", str(summary)])
    assert result.exit_code == 0, result.output
    verdicts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stats = json.loads(summary.read_text(encoding="utf-8"))
    assert len(verdicts) == stats["records"] == stats["verdicts"] == 40
    assert stats["errors"] == 0 and 0 < stats["flagged"] < 40
    assert "posts read" in result.output


def test_scan_exit_code_says_some_records_failed(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "1", "text": "ivory"}\n{oops\n', encoding="utf-8")
    result = RUNNER.invoke(app, ["scan", str(source), "-o", str(tmp_path / "o.jsonl"), "-w", "1"])
    assert result.exit_code == 1
    assert "o.jsonl.errors.jsonl" in " ".join(result.output.split())


@pytest.mark.parametrize(("args", "case"), [
    (["scan", "does-not-exist.jsonl"], "scan_missing_input"),
    (["scan", str(SAMPLES), "--input-format", "xml"], "scan_bad_input_format"),
    (["scan", str(SAMPLES), "--format", "xml", "-o", "x.out"], "scan_bad_output_format"),
])
def test_scan_usage_errors(args: list[str], case: str, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = RUNNER.invoke(app, args)
    assert result.exit_code == 2
    message = " ".join(result.output.replace(str(SAMPLES), "<samples>").split())
    golden = GOLDEN / f"{case}.txt"
    if os.environ.get("WILDWATCH_UPDATE_GOLDEN"):
        golden.write_text(message + "\n", encoding="utf-8")
    assert message == golden.read_text(encoding="utf-8").strip()


def test_error_messages_print_brackets_as_written(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["scan", str(tmp_path / "[bold]x[/bold].jsonl")])
    assert result.exit_code == 2
    assert "[bold]x[/bold].jsonl" in "".join(result.output.split())


def test_the_command_writes_everything_before_it_leaves(tmp_path: Path) -> None:
    # `wildwatch scan` skips the interpreter's teardown: its output must all be out first.
    source = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": str(i), "title": "carved ivory" if i % 3 else "chair"})
             for i in range(5000)]
    source.write_text("\n".join([*lines[:10], "{oops", *lines[10:]]) + "\n", encoding="utf-8")
    summary = tmp_path / "s.json"
    done = subprocess.run(
        [sys.executable, "-m", "wildwatch", "scan", str(source), "--out", "-", "--all",
         "--workers", "2", "--summary-json", str(summary)],
        capture_output=True, cwd=tmp_path, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [
        str(i) for i in range(5000)]
    assert json.loads(summary.read_text(encoding="utf-8"))["errors"] == 1
    assert (tmp_path / "wildwatch-errors.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert "posts read" in done.stderr.decode()
