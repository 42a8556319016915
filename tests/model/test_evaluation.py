"""Evaluation figures on hand-made data with known answers, and the report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from wildwatch import Detector
from wildwatch.ingest.post import Post
from wildwatch.model.evaluation import (
    Scored,
    choose_thresholds,
    evaluate,
    metrics_at,
    render_markdown,
    write_report,
)
from wildwatch.model.training import LabelledPost

LABELS = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
SCORES = np.array([0.9, 0.8, 0.6, 0.2, 0.7, 0.3, 0.1, 0.1, 0.05, 0.0])


def test_metrics_known_answers() -> None:
    figures = metrics_at(LABELS, SCORES, 0.5)
    # flagged: 0.9, 0.8, 0.6 (offers) and 0.7 (not): TP 3, FP 1, FN 1, TN 5
    assert (figures["tp"], figures["fp"], figures["fn"], figures["tn"]) == (3, 1, 1, 5)
    assert figures["precision"] == 0.75 and figures["recall"] == 0.75
    assert figures["f1"] == 0.75
    # MCC = (3*5 - 1*1) / sqrt(4*4*6*6) = 14 / 24
    assert figures["mcc"] == pytest.approx(14 / 24, abs=1e-4)
    # 24 positive-negative pairs; the offer at 0.2 loses to 0.7 and 0.3, 0.6 loses to 0.7
    assert figures["roc_auc"] == pytest.approx(21 / 24, abs=1e-4)
    # ranks of offers: 1, 2, 4, 6 -> AP = (1 + 1 + 3/4 + 4/6) / 4
    assert figures["pr_auc"] == pytest.approx((1 + 1 + 0.75 + 4 / 6) / 4, abs=1e-4)


def test_metrics_with_one_label_only() -> None:
    figures = metrics_at(np.array([0, 0]), np.array([0.1, 0.9]), 0.5)
    assert figures["roc_auc"] is None and figures["fp"] == 1 and figures["precision"] == 0.0


def test_choose_thresholds() -> None:
    flag, likely = choose_thresholds(LABELS, SCORES, likely_precision=1.0)
    # best F1 is 0.8 (TP 4, FP 2), for thresholds in (0.1, 0.2]
    assert 0.1 < flag <= 0.2
    # precision 1.0 needs a threshold above the 0.7 non-offer; the best recall there (0.5) is
    # kept up to 0.8
    assert 0.7 < likely <= 0.8
    assert flag <= likely


def hand_made() -> Scored:
    rows = [LabelledPost(Post(id=str(i), text=f"post {i}", lang="en" if i % 2 else "vi"),
                         int(label), f"hand:{i}", group="elephant" if i < 5 else "rhino",
                         kind="sale" if label else "news", lang="en" if i % 2 else "vi")
            for i, label in enumerate(LABELS)]
    from wildwatch.detect.verdict import Verdict

    verdicts = [Verdict(str(i), float(s), bool(s >= 0.5)) for i, s in enumerate(SCORES)]
    return Scored(rows, verdicts, "hand", "risk-test", "lex")


def test_held_posts_do_not_count_at_likely() -> None:
    # the offer at 0.9 and the non-offer at 0.7 are held: at 0.65 only the 0.8 offer is likely
    held = [True, False, False, False, True, False, False, False, False, False]
    scored = hand_made()
    evaluation = evaluate(Scored(scored.rows, scored.verdicts, "hand", "m", "l", held), 0.5, 0.65)
    assert (evaluation.at_likely["tp"], evaluation.at_likely["fp"]) == (1, 0)
    assert (evaluation.at_flag["tp"], evaluation.at_flag["fp"]) == (3, 1)  # flagging unchanged
    assert evaluation.held_at_likely() == {"posts": 2, "offers": 1}
    assert "2 posts scored at least 0.65 but a 'hold' rule kept them at review (1 of them " \
        "offers)" in render_markdown(evaluation, None)
    # held non-offer at 0.7: precision 1.0 is reached from above 0.3 instead of above 0.7
    flag, likely = choose_thresholds(LABELS, SCORES, likely_precision=1.0, held=held)
    assert 0.3 < likely <= 0.6 and flag <= likely


def test_evaluation_reads_the_hold_from_the_detector(detector: Detector) -> None:
    from wildwatch.model.evaluation import score_rows
    from wildwatch.signals import RuleScorer

    rules = Detector(detector.lexicon, scorer=RuleScorer(detector.lexicon, detector.normalizer),
                     engine=detector.engine.name)
    rows = [LabelledPost(Post(id="1", text="Antique carved ivory okimono, Meiji period"), 1,
                         "x:1"),
            LabelledPost(Post(id="2", text="Carved ivory okimono, DM for price"), 1, "x:2"),
            LabelledPost(Post(id="3", text="Lovely weather"), 0, "x:3")]
    assert score_rows(rows, rules).held == [True, False, False]


def test_evaluate_tables_and_worst_errors(tmp_path: Path) -> None:
    evaluation = evaluate(hand_made(), 0.5, 0.75, "hand-made")
    assert evaluation.at_likely["tp"] == 2 and evaluation.at_likely["fp"] == 0
    groups = {row["name"]: row for row in evaluation.by_group}
    assert (groups["elephant"]["posts"], groups["elephant"]["fp"]) == (5, 1)
    assert (groups["rhino"]["posts"], groups["rhino"]["fp"]) == (5, 0)
    assert [row.post.id for row, _ in evaluation.false_positives] == ["4"]
    assert [row.post.id for row, _ in evaluation.false_negatives] == ["3"]
    path = write_report(evaluation, tmp_path / "report.md", command="wildwatch evaluate x")
    text = path.read_text(encoding="utf-8")
    assert "| flagged (review) | 0.50 | 0.750 | 0.750 | 0.750 | 0.583 | 3 | 1 | 1 | 5 |" in text
    assert "![precision-recall curve](report.pr.png)" in text
    assert (tmp_path / "report.pr.png").read_bytes()[:4] == b"\x89PNG"


def test_report_can_leave_post_text_out() -> None:
    evaluation = evaluate(hand_made(), 0.5, 0.75)
    assert "post 4" in render_markdown(evaluation, None)
    assert "post 4" not in render_markdown(evaluation, None, quote_posts=False)


def test_post_text_in_a_report_is_inert_markdown() -> None:
    scored = hand_made()
    hostile = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) | *x*'
    rows = [LabelledPost(Post(id=row.post.id, text=hostile), row.label, row.line,
                         group=row.group, kind=row.kind, lang=row.lang) for row in scored.rows]
    report = render_markdown(evaluate(Scored(rows, scored.verdicts, "hand", "m", "l"), 0.5,
                                      0.75), None)
    assert "<img" not in report and "[click](" not in report
    assert "&lt;img src=x onerror=alert(1)&gt; \\[click\\]" in report


def test_cli_train_and_evaluate(tmp_path: Path, detector: Detector) -> None:
    import typer

    from wildwatch.cli.model_commands import register

    app = typer.Typer()
    register(app)
    labelled = tmp_path / "l.jsonl"
    lines = []
    for i in range(40):
        offer = i % 2 == 0
        text = (f"Carved ivory bangle number {i} for sale, ${100 + i}, DM for price" if offer
                else f"Customs seized {i} kg of ivory, smugglers arrested")
        lines.append(f'{{"id": "{i}", "text": "{text}", "label": {int(offer)}, '
                     f'"template": "t{i % 8}"}}')
    labelled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    model = tmp_path / "m.zip"
    trained = runner.invoke(app, ["train", str(labelled), "--out", str(model), "--folds", "2"])
    assert trained.exit_code == 0, trained.output
    assert model.is_file()
    report = tmp_path / "r.md"
    evaluated = runner.invoke(app, ["evaluate", str(labelled), "--model", str(model),
                                    "--report", str(report)])
    assert evaluated.exit_code == 0, evaluated.output
    assert "## Threshold sweep" in report.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["evaluate", str(labelled), "--model", str(tmp_path / "no.zip")])
    assert bad.exit_code == 2
