"""``wildwatch train``, ``wildwatch evaluate`` and ``wildwatch model``: build the risk model,
measure it, learn from reviewers' decisions, and choose the model the server uses.

``register(app)`` adds the commands to the main app; standalone they run as
``python -m wildwatch.cli.model_commands train|evaluate|model ...``.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from wildwatch.cli.common import err, fail, lexicon_or_fail

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from wildwatch.lexicon import Lexicon
    from wildwatch.model.artifact import RiskModel
    from wildwatch.model.training import LabelledPost, TrainingResult
    from wildwatch.settings import Settings

LexiconOption = Annotated[
    Path | None,
    typer.Option("--lexicon", help="Folder of lexicon YAML files (default: the shipped one).",
                 exists=True, file_okay=False),
]


def train(
    labelled: Annotated[list[Path] | None, typer.Argument(
        help="Labelled posts: JSONL or CSV files with a 'label' (1 offer, 0 not). With "
        "--from-decisions: the corpus (default: data/training/posts.jsonl).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Where the model file goes (default: risk-model.zip; with "
        "--from-decisions, DATA_DIR/models/candidates/VERSION.zip).")] = None,
    folds: Annotated[int, typer.Option("--folds", min=0, help="Cross-validation folds "
                                       "(grouped by 'template'); 0 skips cross-validation.")]
    = 5,
    split: Annotated[str | None, typer.Option("--split", help="Train only on rows whose "
                                              "'split' is this (e.g. train; with "
                                              "--from-decisions: train).")] = None,
    thresholds_from: Annotated[str | None, typer.Option(
        "--thresholds-from", help="Choose the operating points on the rows of the same files "
        "whose 'split' is this (e.g. tune; with --from-decisions: tune); default: on the "
        "cross-validated scores.")] = None,
    likely_precision: Annotated[float, typer.Option(help="Precision the 'likely' point must "
                                                   "reach where thresholds are chosen.")]
    = 0.98,
    c: Annotated[float, typer.Option("--c", help="Inverse regularisation strength.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Seed for the fold assignment and the held-out "
                                      "decisions.")] = 0,
    from_decisions: Annotated[bool, typer.Option(
        "--from-decisions", help="Learn from the reviewers' decisions in the store: add them "
        "to the corpus, hold some out, and compare the new model with the one in use.")]
    = False,
    database: Annotated[str | None, typer.Option(
        "--database", help="With --from-decisions: the store's URL (default: "
        "$WILDWATCH_DATABASE_URL, else the SQLite file in the data directory).")] = None,
    holdout: Annotated[float | None, typer.Option(
        "--holdout", min=0.05, max=0.5, help="With --from-decisions: the share of each "
        "label's decisions held out for the comparison (default: a quarter).")] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="With --from-decisions: the folder for the comparison report "
        "(default: beside the model, MODEL-report/).", file_okay=False)] = None,
    quote_posts: Annotated[bool, typer.Option(
        help="With --from-decisions: quote the decided posts' text in the reports' error "
        "lists.")] = True,
    lexicon: LexiconOption = None,
) -> None:
    """Train the risk model from labelled posts, report cross-validated figures, write it.

    With --from-decisions, learn from the reviewers' decisions in the store and compare the
    new model with the one in use (docs/analysts.md); exit code 2 if there are too few.
    """
    from wildwatch.model.training import LabelledDataError, read_labelled

    if from_decisions:
        _train_from_decisions(
            labelled or [], out=out, folds=folds, split=split or "train",
            thresholds_from=thresholds_from or "tune", likely_precision=likely_precision, c=c,
            seed=seed, database=database, holdout=holdout, report=report,
            quote_posts=quote_posts, lexicon=lexicon)
        return
    if not labelled:
        fail("give labelled files to train on (wildwatch train FILE...), or --from-decisions")
    only_with_decisions = {"--database": database is not None, "--report": report is not None,
                           "--holdout": holdout is not None, "--no-quote-posts": not quote_posts}
    for option, given in only_with_decisions.items():
        if given:
            fail(f"{option} goes with --from-decisions")
    lex = lexicon_or_fail(lexicon)
    try:
        rows = read_labelled(labelled, split)
        if not rows:
            fail(f"no labelled rows{f' with split {split!r}' if split else ''} in "
                  f"{', '.join(map(str, labelled))}")
        tune = None
        if thresholds_from is not None:
            tune = read_labelled(labelled, thresholds_from)
            if not tune:
                fail(f"no rows with split {thresholds_from!r} to choose thresholds on")
        note = f"{', '.join(p.name for p in labelled)}" + (f" (split={split})" if split else "")
        fitted = _fit(rows, tune, thresholds_from, lex, folds=folds, c=c, seed=seed,
                      likely_precision=likely_precision,
                      data_note=f"{len(rows)} posts from {note}")
    except LabelledDataError as exc:
        fail(str(exc))
    target = out or Path("risk-model.zip")
    fitted.model.save(target)
    table = _training_table(fitted, f"wildwatch train: {len(rows):,} posts, "
                            f"{int(fitted.result.labels.sum()):,} offers")
    table.add_row("model", f"{target} ({target.stat().st_size / 1e6:.2f} MB)")
    table.add_row("version", fitted.model.version)
    err.print(table)


@dataclass(slots=True)
class _Fitted:
    """A trained model with its operating points set, and how they were chosen."""

    model: RiskModel
    result: TrainingResult
    where: str
    held: tuple[dict[str, Any], ...]


def _fit(rows: list[LabelledPost], tune: list[LabelledPost] | None, tune_name: str | None,
         lex: Lexicon, *, folds: int, c: float, seed: int, likely_precision: float,
         data_note: str) -> _Fitted:
    """Train on ``rows`` and choose the operating points on ``tune`` (else on the
    cross-validated scores, else keep the defaults)."""
    from wildwatch.detect import Detector
    from wildwatch.model.evaluation import (
        choose_thresholds,
        likely_scores,
        metrics_at,
        score_rows,
    )
    from wildwatch.model.scorer import ModelScorer
    from wildwatch.model.training import train_model

    detector = Detector(lex)
    result = train_model(rows, lex, folds=folds, c=c, seed=seed, detector=detector,
                         data_note=data_note)
    chosen, where = result.model.thresholds, "the defaults"
    held: tuple[dict[str, Any], ...] = ()
    scored: tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], list[bool]] | None = None
    if tune is not None:
        scorer = ModelScorer(lex, result.model)
        on_tune = score_rows(tune, Detector(lex, scorer=scorer, engine=detector.engine.name))
        scored = (on_tune.labels, on_tune.scores, on_tune.held)
        where = f"{len(tune)} posts with split={tune_name}"
    elif len(result.oof):
        scored = (result.labels, result.oof, result.held)
        where = "the cross-validated scores"
    if scored is not None:
        labels, scores, kept_back = scored
        chosen = choose_thresholds(labels, scores, likely_precision=likely_precision,
                                   held=kept_back)
        held = (metrics_at(labels, scores, chosen[0]),
                metrics_at(labels, likely_scores(scores, kept_back), chosen[1]))
    model = result.model
    model.thresholds = (float(chosen[0]), float(chosen[1]))
    model.meta["thresholds_chosen_on"] = where
    if held:
        model.meta["thresholds_figures"] = {name: {k: figures[k] for k in (
            "threshold", "precision", "recall", "f1", "mcc")} for name, figures in
            zip(("flag", "likely"), held, strict=True)}
    model.version = model.content_version()
    return _Fitted(model, result, where, held)


def _training_table(fitted: _Fitted, title: str) -> Table:
    model = fitted.model
    table = Table(title=title)
    table.add_column("figure")
    table.add_column("value", justify="right")
    if fitted.result.cv:
        cv = fitted.result.cv
        table.add_row(f"cross-validated ({model.meta['training']['folds']} folds, by template)",
                      f"at {cv['threshold']:.2f}")
        for key in ("precision", "recall", "f1", "mcc", "roc_auc", "pr_auc"):
            table.add_row(f"  {key}", f"{cv[key]:.3f}")
    table.add_row("thresholds chosen on", fitted.where)
    table.add_row("  flagged at", f"{model.thresholds[0]:.2f}")
    table.add_row("  likely at", f"{model.thresholds[1]:.2f}")
    for name, figures in zip(("flagged", "likely"), fitted.held, strict=False):
        table.add_row(f"  {name}: precision / recall / F1",
                      f"{figures['precision']:.3f} / {figures['recall']:.3f} / "
                      f"{figures['f1']:.3f}")
    return table


def _train_from_decisions(corpus_files: list[Path], *, out: Path | None, folds: int,
                          split: str, thresholds_from: str, likely_precision: float, c: float,
                          seed: int, database: str | None, holdout: float | None,
                          report: Path | None, quote_posts: bool,
                          lexicon: Path | None) -> None:
    """``wildwatch train --from-decisions``: the corpus's ``split`` rows plus most of the
    decisions in, thresholds on the corpus's ``thresholds_from`` rows, and the new model
    compared with the one in use on the held-out decisions and the corpus's test split."""
    from wildwatch.cli.common import open_store, redacted, settings_for
    from wildwatch.model.active import active_model
    from wildwatch.model.artifact import ModelFileError
    from wildwatch.model.reviewers import (
        CORPUS,
        DEFAULT_HOLDOUT,
        NotEnoughDecisions,
        check_decisions,
        compare,
        decision_rows,
        hold_out,
        without_decided,
        write_comparison,
    )
    from wildwatch.model.training import LabelledDataError, read_labelled

    fraction = DEFAULT_HOLDOUT if holdout is None else holdout
    settings = settings_for(database)
    files = corpus_files or [CORPUS]
    if not corpus_files and not CORPUS.is_file():
        fail(f"the training corpus is not at {CORPUS} (it comes with Wildwatch's source, not "
             "the package); give its path: wildwatch train --from-decisions PATH/posts.jsonl")
    lex = lexicon_or_fail(lexicon or settings.lexicon_dir)
    in_use = active_model(settings)
    store = open_store(settings)
    try:
        decisions = decision_rows(store.labelled_posts())
    finally:
        store.db.dispose()
    try:
        check_decisions(decisions)
        active = in_use.load()
        everything = read_labelled(files)
        corpus = without_decided(everything, decisions)
    except (NotEnoughDecisions, LabelledDataError, ModelFileError) as exc:
        fail(str(exc))
    learn, held = hold_out(decisions, fraction, seed)
    parts = {name: [row for row in corpus if row.split == name]
             for name in (split, thresholds_from, "test")}
    for name, part in parts.items():
        if not part:
            fail(f"no corpus rows with split {name!r} in {', '.join(map(str, files))}; the "
                 f"corpus needs '{split}', '{thresholds_from}' and 'test' rows")
    names = ", ".join(p.name for p in files)
    note = (f"{len(parts[split]):,} posts from {names} (split={split}) and {len(learn):,} "
            f"reviewers' decisions ({len(held):,} more held out)")
    try:
        fitted = _fit(parts[split] + learn, parts[thresholds_from], thresholds_from, lex,
                      folds=folds, c=c, seed=seed, likely_precision=likely_precision,
                      data_note=note)
    except LabelledDataError as exc:
        fail(str(exc))
    model = fitted.model
    target = out or settings.data_dir / "models" / "candidates" / f"{model.version}.zip"
    comparison = compare(lex, active, in_use.describe(), model, held, parts["test"])
    offers = sum(row.label for row in held)
    model.meta["reviewers"] = {
        "decisions": len(decisions), "trained_on": len(learn), "held_out": len(held),
        "holdout": fraction, "seed": seed, "comparison": comparison.figures()}
    model.save(target)
    folder = report or target.with_name(f"{target.stem}-report")
    facts = [f"**Trained on**: {note}; operating points chosen on {fitted.where}",
             f"**Held out**: {len(held)} of the store's {len(decisions)} decisions "
             f"({offers} remove or block, {len(held) - offers} allow), {fraction:.0%} of each "
             f"kind chosen by seed {seed}",
             f"**Store**: {redacted(settings.resolved_database_url())}"]
    if len(corpus) < len(everything):
        facts.append(f"**Left out of the corpus**: {len(everything) - len(corpus):,} posts "
                     "worded like a decided post (each post counts once, as the decision)")
    written = write_comparison(comparison, folder, model_file=target, facts=facts,
                               command=_command_line("train"), quote_posts=quote_posts)
    table = _training_table(fitted, f"wildwatch train --from-decisions: {len(learn):,} "
                            f"decisions and {len(parts[split]):,} corpus posts")
    for compared, where in ((comparison.decisions, f"{len(held)} held-out decisions"),
                            (comparison.corpus, "corpus test split")):
        for role, evaluation in (("in use", compared.active), ("new", compared.new)):
            figures = evaluation.at_flag
            table.add_row(f"{where}: {role}, MCC / F1 at {figures['threshold']:.2f}",
                          f"{figures['mcc']:.3f} / {figures['f1']:.3f}")
    err.print(table)
    # Paths and the verdict outside the table, unwrapped, so that they can be copied.
    for name, value in (("model in use", f"{active.version} ({in_use.describe()})"),
                        ("new model", f"{model.version} ({target})"), ("report", written)):
        err.print(f"{name}: {value}", highlight=False, markup=False, soft_wrap=True)
    err.print(comparison.verdict(target).replace("**", "").replace("`", ""), highlight=False,
              markup=False, soft_wrap=True)


def _command_line(command: str) -> str:
    """The command as typed, for a report's 'Regenerate' line."""
    if len(sys.argv) <= 2:
        return ""
    return f"wildwatch {command} " + " ".join(shlex.quote(a) for a in sys.argv[2:])


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
        written = write_report(evaluation, report, command=_command_line("evaluate"),
                               quote_posts=quote_posts)
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


model_app = typer.Typer(help="The model the server scores with: show it, promote a new "
                        "one, roll back.", no_args_is_help=True)

DatabaseOption = Annotated[str | None, typer.Option(
    "--database", help="Store URL, for the audit log (default: $WILDWATCH_DATABASE_URL, else "
    "the SQLite file in the data directory).")]


@model_app.command("promote")
def model_promote(
    model_file: Annotated[Path, typer.Argument(help="The model file to use from now on.",
                                               exists=True, dir_okay=False)],
    database: DatabaseOption = None,
    lexicon: LexiconOption = None,
) -> None:
    """Make MODEL the model the server scores with.

    Copies it to DATA_DIR/models/active.zip, keeping the one it replaces as previous.zip, and
    records the promotion in the audit log. The server loads it when it next starts.
    """
    _promote(model_file, database, lexicon, rollback=False)


@model_app.command("rollback")
def model_rollback(database: DatabaseOption = None, lexicon: LexiconOption = None) -> None:
    """Go back to the model used before the last promotion.

    previous.zip and active.zip swap (after a first promotion: back to the shipped model).
    """
    _promote(None, database, lexicon, rollback=True)


def _promote(source: Path | None, database: str | None, lexicon: Path | None, *,
             rollback: bool) -> None:
    from wildwatch.cli.common import open_store, settings_for
    from wildwatch.model.active import (
        PREVIOUS_FILE,
        PromotionError,
        models_dir,
        promote,
        roll_back,
    )
    from wildwatch.model.artifact import ModelFileError, load_model
    from wildwatch.model.scorer import ModelScorer

    settings = settings_for(database)
    lex = lexicon_or_fail(lexicon or settings.lexicon_dir)
    incoming = source if not rollback else models_dir(settings) / PREVIOUS_FILE
    if incoming is not None and incoming.is_file():
        try:
            # What the server will do with it: load it and build its scorer on the lexicon.
            scorer = ModelScorer(lex, load_model(incoming))
        except ModelFileError as exc:
            fail(str(exc))
        trained_with = scorer.model.meta.get("lexicon_version")
        if trained_with and trained_with != lex.version:
            err.print(f"note: {scorer.model.version} was trained with lexicon {trained_with}; "
                      f"the lexicon now is {lex.version} (its new terms count, but the model "
                      "has not learnt their weight)", highlight=False)
    store = open_store(settings)  # before any file moves: every promotion is audited
    try:
        done = roll_back(settings) if source is None else promote(source, settings)
        store.record_audit("cli", "model.promote", "model", {
            "version": done.model.version, "replaced": done.replaced,
            "source": str(source.resolve()) if source is not None else None,
            "active": str(done.active or "shipped"), "rollback": rollback})
    except PromotionError as exc:
        fail(str(exc))
    finally:
        store.db.dispose()
    now = "the shipped model" if done.active is None else str(done.active)
    err.print(f"{'rolled back to' if rollback else 'promoted'} {done.model.version} ({now}; "
              f"it replaces {done.replaced or 'the shipped model'}). Restart wildwatch serve "
              "to use it.", highlight=False)
    if settings.model_file is not None:
        err.print(f"note: WILDWATCH_MODEL_FILE names {settings.model_file}, which the server "
                  "uses instead; unset it to use the promoted model", highlight=False)


@model_app.command("show")
def model_show(database: DatabaseOption = None) -> None:
    """Print the model the server scores with: its version, where it came from."""
    from wildwatch.cli.common import settings_for
    from wildwatch.model.active import PREVIOUS_FILE, ModelOrigin, active_model, models_dir
    from wildwatch.model.artifact import ModelFileError, load_model

    settings = settings_for(database)
    active = active_model(settings)
    try:
        model = active.load()
    except ModelFileError as exc:
        fail(str(exc))
    meta = model.meta
    training = meta.get("training", {})
    lines = [("version", model.version), ("file", active.describe()),
             ("created", str(meta.get("created", "?"))),
             ("trained on", str(training.get("data", "?"))),
             ("operating points", f"flagged at {model.thresholds[0]:.2f}, likely at "
                                  f"{model.thresholds[1]:.2f}"),
             ("lexicon", str(meta.get("lexicon_version", "?")))]
    reviewers = meta.get("reviewers")
    if reviewers:
        comparison = reviewers.get("comparison", {})
        held = comparison.get("held_out_decisions", {})
        lines.append(("compared with", f"{comparison.get('against', '?')} on "
                      f"{reviewers.get('held_out', '?')} held-out decisions: MCC "
                      f"{_figure(held.get('new', {}).get('mcc'))} against "
                      f"{_figure(held.get('in_use', {}).get('mcc'))} ("
                      f"{'better' if comparison.get('better') else 'not better'})"))
    if active.origin is ModelOrigin.PROMOTED:
        lines.append(("promoted", _promotion_of(settings, model.version)))
    previous = models_dir(settings) / PREVIOUS_FILE
    if previous.is_file():
        try:
            lines.append(("previous", f"{load_model(previous).version} ({previous}; "
                          "wildwatch model rollback goes back to it)"))
        except ModelFileError as exc:
            lines.append(("previous", str(exc)))
    for name, value in lines:
        typer.echo(f"{name + ':':<18}{value}")


def _figure(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "?"


def _promotion_of(settings: Settings, version: str) -> str:
    """Who promoted ``version``, when and from which file, from the audit log."""
    from sqlalchemy.exc import SQLAlchemyError

    from wildwatch.store import Database, Store, StoreError

    try:
        database = Database(settings.resolved_database_url())
        try:
            entries = Store(database).audit(subject="model", limit=1000)
        finally:
            database.dispose()
    except (StoreError, SQLAlchemyError) as exc:
        return f"(the audit log cannot be read: {str(exc).splitlines()[0]})"
    for entry in entries:
        if entry.verb == "model.promote" and entry.detail.get("version") == version:
            how = "a rollback" if entry.detail.get("rollback") \
                else f"from {entry.detail.get('source', '?')}"
            return f"{entry.at:%Y-%m-%d %H:%M} UTC by {entry.actor}, {how}"
    return "(no promotion of this version in the audit log: the file was copied by hand)"


def register(app: typer.Typer) -> None:
    """Add ``train``, ``evaluate`` and ``model`` (show, promote, rollback) to ``app``."""
    app.command("train")(train)
    app.command("evaluate")(evaluate)
    app.add_typer(model_app, name="model")


def main() -> None:
    app = typer.Typer(help="Train and evaluate Wildwatch's risk model.", no_args_is_help=True,
                      add_completion=False, pretty_exceptions_enable=False)
    register(app)
    app()


if __name__ == "__main__":
    main()
