"""``wildwatch train`` and ``wildwatch evaluate``: build the risk model and measure it.

``register(app)`` adds both commands to the main app. Until then (or standalone) they run as
``python -m wildwatch.cli.model_commands train|evaluate ...``.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from wildwatch.cli.common import err, fail, lexicon_or_fail

LexiconOption = Annotated[
    Path | None,
    typer.Option("--lexicon", help="Folder of lexicon YAML files (default: the shipped one).",
                 exists=True, file_okay=False),
]


def train(
    labelled: Annotated[list[Path], typer.Argument(help="Labelled posts: JSONL or CSV files "
                                                    "with a 'label' (1 offer, 0 not).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where the model file goes.")]
    = Path("risk-model.zip"),
    folds: Annotated[int, typer.Option("--folds", min=0, help="Cross-validation folds "
                                       "(grouped by 'template'); 0 skips cross-validation.")]
    = 5,
    split: Annotated[str | None, typer.Option("--split", help="Train only on rows whose "
                                              "'split' is this (e.g. train).")] = None,
    thresholds_from: Annotated[str | None, typer.Option(
        "--thresholds-from", help="Choose the operating points on the rows of the same files "
        "whose 'split' is this (e.g. tune); default: on the cross-validated scores.")] = None,
    likely_precision: Annotated[float, typer.Option(help="Precision the 'likely' point must "
                                                   "reach where thresholds are chosen.")]
    = 0.98,
    c: Annotated[float, typer.Option("--c", help="Inverse regularisation strength.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Seed for the fold assignment.")] = 0,
    lexicon: LexiconOption = None,
) -> None:
    """Train the risk model from labelled posts, report cross-validated figures, write it."""
    import numpy as np

    from wildwatch.detect import Detector
    from wildwatch.model.evaluation import choose_thresholds, metrics_at, score_rows
    from wildwatch.model.scorer import ModelScorer
    from wildwatch.model.training import LabelledDataError, read_labelled, train_model

    lex = lexicon_or_fail(lexicon)
    held: tuple[dict[str, Any], ...]
    try:
        rows = read_labelled(labelled, split)
        if not rows:
            fail(f"no labelled rows{f' with split {split!r}' if split else ''} in "
                  f"{', '.join(map(str, labelled))}")
        detector = Detector(lex)
        note = f"{', '.join(p.name for p in labelled)}" + (f" (split={split})" if split else "")
        result = train_model(rows, lex, folds=folds, c=c, seed=seed, detector=detector,
                             data_note=f"{len(rows)} posts from {note}")
        if thresholds_from is not None:
            tune = read_labelled(labelled, thresholds_from)
            if not tune:
                fail(f"no rows with split {thresholds_from!r} to choose thresholds on")
            scorer = ModelScorer(lex, result.model)
            scored = score_rows(tune, Detector(lex, scorer=scorer, engine=detector.engine.name))
            chosen = choose_thresholds(scored.labels, scored.scores,
                                       likely_precision=likely_precision)
            where = f"{len(tune)} posts with split={thresholds_from}"
            held = (metrics_at(scored.labels, scored.scores, chosen[0]),
                    metrics_at(scored.labels, scored.scores, chosen[1]))
        elif len(result.oof):
            chosen = choose_thresholds(result.labels, result.oof,
                                       likely_precision=likely_precision)
            where = "the cross-validated scores"
            held = (metrics_at(result.labels, result.oof, chosen[0]),
                    metrics_at(result.labels, result.oof, chosen[1]))
        else:
            chosen, where, held = result.model.thresholds, "the defaults", ()
    except LabelledDataError as exc:
        fail(str(exc))
    model = result.model
    model.thresholds = (float(chosen[0]), float(chosen[1]))
    model.meta["thresholds_chosen_on"] = where
    if held:
        model.meta["thresholds_figures"] = {name: {k: figures[k] for k in (
            "threshold", "precision", "recall", "f1", "mcc")} for name, figures in
            zip(("flag", "likely"), held, strict=True)}
    model.version = model.content_version()
    model.save(out)
    table = Table(title=f"wildwatch train: {len(rows):,} posts, "
                  f"{int(np.sum(result.labels)):,} offers")
    table.add_column("figure")
    table.add_column("value", justify="right")
    if result.cv:
        cv = result.cv
        table.add_row(f"cross-validated ({model.meta['training']['folds']} folds, by template)",
                      f"at {cv['threshold']:.2f}")
        for key in ("precision", "recall", "f1", "mcc", "roc_auc", "pr_auc"):
            table.add_row(f"  {key}", f"{cv[key]:.3f}")
    table.add_row("thresholds chosen on", where)
    table.add_row("  flagged at", f"{model.thresholds[0]:.2f}")
    table.add_row("  likely at", f"{model.thresholds[1]:.2f}")
    for name, figures in zip(("flagged", "likely"), held, strict=False):
        table.add_row(f"  {name}: precision / recall / F1",
                      f"{figures['precision']:.3f} / {figures['recall']:.3f} / "
                      f"{figures['f1']:.3f}")
    table.add_row("model", f"{out} ({out.stat().st_size / 1e6:.2f} MB)")
    table.add_row("version", model.version)
    err.print(table)


def evaluate(
    labelled: Annotated[Path, typer.Argument(help="Labelled posts (JSONL or CSV).")],
    model_path: Annotated[Path | None, typer.Option("--model", "-m", help="Model file "
                                                    "(default: the shipped one).")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write a Markdown report "
                                                "(and a PNG precision-recall curve) here.")]
    = None,
    flag_threshold: Annotated[float | None, typer.Option(help="Score at which a post is "
                                                         "flagged (default: the model's).")]
    = None,
    likely_threshold: Annotated[float | None, typer.Option(help="Score at which a verdict is "
                                                           "'likely' (default: the model's).")]
    = None,
    split: Annotated[str | None, typer.Option("--split", help="Only rows whose 'split' is "
                                              "this.")] = None,
    title: Annotated[str | None, typer.Option(help="The report's title.")] = None,
    quote_posts: Annotated[bool, typer.Option(help="Quote the posts' text in the error lists "
                                              "(use --no-quote-posts for data that may not "
                                              "be copied).")] = True,
    lexicon: LexiconOption = None,
) -> None:
    """Measure the model on labelled posts: precision, recall, F1, MCC, ROC-AUC, PR-AUC, a
    threshold sweep, tables per species, language and kind, and the worst errors."""
    from wildwatch.detect import Detector
    from wildwatch.model.artifact import ModelFileError, load_model
    from wildwatch.model.evaluation import (
        baseline_rows,
        lexicon_baseline,
        score_rows,
        write_report,
    )
    from wildwatch.model.evaluation import (
        evaluate as run_evaluation,
    )
    from wildwatch.model.scorer import ModelScorer
    from wildwatch.model.training import LabelledDataError, read_labelled
    from wildwatch.signals import RuleScorer
    from wildwatch.text import Normalizer

    lex = lexicon_or_fail(lexicon)
    try:
        model = load_model(model_path)
        rows = read_labelled([labelled], split)
    except (ModelFileError, LabelledDataError) as exc:
        fail(str(exc))
    if not rows:
        fail(f"no labelled rows in {labelled}{f' with split {split!r}' if split else ''}")
    flag = flag_threshold if flag_threshold is not None else model.thresholds[0]
    likely = likely_threshold if likely_threshold is not None else model.thresholds[1]
    if not 0 <= flag <= likely <= 1:
        fail(f"thresholds must satisfy 0 <= flag <= likely <= 1, not {flag} and {likely}")
    detector = Detector(lex, scorer=ModelScorer(lex, model), flag_threshold=flag,
                        likely_threshold=likely)
    scored = score_rows(rows, detector)
    name = title or f"{model.version} on {labelled.name}" + (f" ({split})" if split else "")
    evaluation = run_evaluation(scored, flag, likely, name)
    evaluation.baselines = baseline_rows(rows, detector, [
        lexicon_baseline(detector),
        ("rules only (RuleScorer, 0.5)", RuleScorer(lex, Normalizer()), 0.5),
    ])
    _print_evaluation(evaluation)
    if report is not None:
        command = "wildwatch evaluate " + " ".join(shlex.quote(a) for a in sys.argv[2:]) \
            if len(sys.argv) > 2 else ""
        written = write_report(evaluation, report, command=command, quote_posts=quote_posts)
        err.print(f"report: {written}")


def _print_evaluation(evaluation: Any) -> None:
    table = Table(title=evaluation.title)
    for column in ("point", "threshold", "precision", "recall", "F1", "MCC", "TP", "FP",
                   "FN", "TN"):
        table.add_column(column, justify="left" if column == "point" else "right")
    for point, figures in (("flagged", evaluation.at_flag), ("likely", evaluation.at_likely)):
        table.add_row(point, f"{figures['threshold']:.2f}", f"{figures['precision']:.3f}",
                      f"{figures['recall']:.3f}", f"{figures['f1']:.3f}",
                      f"{figures['mcc']:.3f}", str(figures["tp"]), str(figures["fp"]),
                      str(figures["fn"]), str(figures["tn"]))
    for baseline in evaluation.baselines:
        table.add_row(baseline["name"], f"{baseline['threshold']:.2f}",
                      f"{baseline['precision']:.3f}", f"{baseline['recall']:.3f}",
                      f"{baseline['f1']:.3f}", f"{baseline['mcc']:.3f}", str(baseline["tp"]),
                      str(baseline["fp"]), str(baseline["fn"]), str(baseline["tn"]))
    err.print(table)
    auc = evaluation.at_flag
    err.print(f"ROC-AUC {auc['roc_auc']}, PR-AUC {auc['pr_auc']}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``train`` and ``evaluate`` to ``app``."""
    app.command("train")(train)
    app.command("evaluate")(evaluate)




def main() -> None:
    app = typer.Typer(help="Train and evaluate Wildwatch's risk model.", no_args_is_help=True,
                      add_completion=False, pretty_exceptions_enable=False)
    register(app)
    app()


if __name__ == "__main__":
    main()
