"""Evaluation: how a scorer does on labelled posts, at both operating points, as a report.

Every labelled post is scanned as ``wildwatch scan`` would scan it: posts with no lexicon match
score 0, so a missed product word costs recall here exactly as it does in production.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wildwatch.detect import Detector, LexiconScorer, Scorer, Verdict
from wildwatch.model.training import LabelledPost

SWEEP = tuple(round(0.05 * i, 2) for i in range(1, 20))
_WORST = 10


def metrics_at(labels: npt.NDArray[np.int64], scores: npt.NDArray[np.float64],
               threshold: float) -> dict[str, Any]:
    """Precision, recall, F1, MCC and the confusion matrix at ``threshold``; ROC-AUC and PR-AUC
    over all thresholds (None where only one label is present)."""
    from sklearn.metrics import (
        average_precision_score,
        matthews_corrcoef,
        roc_auc_score,
    )

    predicted = scores >= threshold
    tp = int(np.sum(predicted & (labels == 1)))
    fp = int(np.sum(predicted & (labels == 0)))
    fn = int(np.sum(~predicted & (labels == 1)))
    tn = int(np.sum(~predicted & (labels == 0)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    both = len(set(labels.tolist())) == 2
    mcc = float(matthews_corrcoef(labels, predicted)) if both else 0.0
    return {
        "threshold": threshold, "precision": round(precision, 4), "recall": round(recall, 4),
        "f1": round(f1, 4), "mcc": round(mcc, 4),
        "roc_auc": round(float(roc_auc_score(labels, scores)), 4) if both else None,
        "pr_auc": round(float(average_precision_score(labels, scores)), 4) if both else None,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn, "flagged": tp + fp, "posts": len(labels),
    }


def choose_thresholds(labels: npt.NDArray[np.int64], scores: npt.NDArray[np.float64], *,
                      likely_precision: float = 0.98,
                      held: Sequence[bool] = ()) -> tuple[float, float]:
    """Operating points from held-out scores (``held``: per post, whether a 'hold' rule keeps
    it from ``likely``; see :func:`likely_scores`).

    ``flag``: the threshold with the best F1 over a 0.01 grid; where a range of thresholds ties
    (within 0.005), the middle of the range, which leaves the most room on both sides for data
    that differs from the held-out set. ``likely``: the middle of the range of thresholds at or
    above ``flag`` whose precision is at least ``likely_precision`` and whose recall is within
    0.05 of the best such recall; ``flag`` itself if none reaches it.
    """
    grid = [round(0.01 * i, 2) for i in range(1, 100)]
    results = [metrics_at(labels, scores, t) for t in grid]
    best = max(r["f1"] for r in results)
    tied = [r["threshold"] for r in results if r["f1"] >= best - 0.005]
    flag = float(tied[len(tied) // 2])
    if len(held):
        at_likely = likely_scores(scores, held)
        results = [metrics_at(labels, at_likely, t) for t in grid]
    precise = [r for r in results
               if r["threshold"] >= flag and r["precision"] >= likely_precision and r["tp"]]
    if not precise:
        return flag, flag
    best_recall = max(r["recall"] for r in precise)
    near = [r["threshold"] for r in precise if r["recall"] >= best_recall - 0.05]
    return flag, float(near[len(near) // 2])


@dataclass(slots=True)
class Scored:
    """Labelled posts with a scorer's verdicts."""

    rows: list[LabelledPost]
    verdicts: list[Verdict]
    scorer: str
    model_version: str | None
    lexicon_version: str
    held: list[bool] = field(default_factory=list)
    """Per post: a 'hold' rule keeps it from ``likely`` whatever its score (empty: none)."""

    @property
    def labels(self) -> npt.NDArray[np.int64]:
        return np.array([r.label for r in self.rows], dtype=np.int64)

    @property
    def scores(self) -> npt.NDArray[np.float64]:
        return np.array([v.score for v in self.verdicts], dtype=np.float64)

    @property
    def likely_scores(self) -> npt.NDArray[np.float64]:
        """The scores as the ``likely`` point sees them: 0 where a 'hold' rule applies."""
        return likely_scores(self.scores, self.held)


def likely_scores(scores: npt.NDArray[np.float64], held: Sequence[bool]
                  ) -> npt.NDArray[np.float64]:
    """``scores`` with held posts at 0: compared with a ``likely`` threshold, they give the
    verdicts the detector gives (a held post goes to review at most)."""
    if not len(held):
        return scores
    return np.where(np.asarray(held, dtype=bool), 0.0, scores)


def score_rows(rows: Sequence[LabelledPost], detector: Detector) -> Scored:
    """Scan labelled posts with ``detector`` (ids are replaced by row numbers, kept unique)."""
    posts = [row.post for row in rows]
    verdicts: list[Verdict] = []
    held: list[bool] = []
    for start in range(0, len(posts), 2048):
        for verdict, assessment in detector.scan_assessed(posts[start:start + 2048]):
            verdicts.append(verdict)
            held.append(assessment is not None and assessment.held is not None)
    return Scored(list(rows), verdicts, detector.scorer.name, detector.scorer.version,
                  detector.lexicon.version, held)


@dataclass(slots=True)
class Evaluation:
    """Everything a report shows."""

    title: str
    scored: Scored
    flag: float
    likely: float
    at_flag: dict[str, Any]
    at_likely: dict[str, Any]
    sweep: list[dict[str, Any]]
    by_group: list[dict[str, Any]]
    by_lang: list[dict[str, Any]]
    by_kind: list[dict[str, Any]]
    false_positives: list[tuple[LabelledPost, Verdict]]
    false_negatives: list[tuple[LabelledPost, Verdict]]
    baselines: list[dict[str, Any]] = field(default_factory=list)
    curve: dict[str, list[float]] = field(default_factory=dict)

    def held_at_likely(self) -> dict[str, int]:
        """Posts that reached the ``likely`` threshold but were held at review, and how many of
        them are offers (empty when none)."""
        if not self.scored.held:
            return {}
        reached = (self.scored.scores >= self.likely) & np.asarray(self.scored.held, dtype=bool)
        if not reached.any():
            return {}
        return {"posts": int(reached.sum()), "offers": int(self.scored.labels[reached].sum())}

    def summary(self) -> dict[str, Any]:
        return {"title": self.title, "posts": len(self.scored.rows),
                "positives": int(self.scored.labels.sum()), "scorer": self.scored.scorer,
                "model_version": self.scored.model_version,
                "lexicon_version": self.scored.lexicon_version,
                "flag": self.at_flag, "likely": self.at_likely}


def evaluate(scored: Scored, flag: float, likely: float, title: str = "") -> Evaluation:
    """Figures at both operating points, a threshold sweep, tables and the worst errors."""
    from sklearn.metrics import precision_recall_curve

    labels, scores = scored.labels, scored.scores
    verdicts = scored.verdicts
    at_likely = scored.likely_scores
    tables = {}
    for name, key in (("group", _group_of), ("lang", _lang_of), ("kind", _kind_of)):
        tables[name] = _table(scored, key, flag, likely)
    order = np.argsort(-scores, kind="stable")
    false_positives = [(scored.rows[i], verdicts[i]) for i in order
                       if labels[i] == 0 and scores[i] >= flag][:_WORST]
    false_negatives = [(scored.rows[i], verdicts[i]) for i in order[::-1]
                       if labels[i] == 1 and scores[i] < flag][:_WORST]
    curve: dict[str, list[float]] = {}
    if len(set(labels.tolist())) == 2:
        precision, recall, _ = precision_recall_curve(labels, scores)
        curve = {"precision": precision.tolist(), "recall": recall.tolist()}
    return Evaluation(
        title=title, scored=scored, flag=flag, likely=likely,
        at_flag=metrics_at(labels, scores, flag),
        at_likely=metrics_at(labels, at_likely, likely),
        sweep=[metrics_at(labels, scores, t) for t in sorted({*SWEEP, flag, likely})],
        by_group=tables["group"], by_lang=tables["lang"], by_kind=tables["kind"],
        false_positives=false_positives, false_negatives=false_negatives, curve=curve,
    )


def baseline_rows(rows: Sequence[LabelledPost], detector: Detector,
                  scorers: Sequence[tuple[str, Scorer, float]]) -> list[dict[str, Any]]:
    """Other scorers on the same posts at their own threshold, for comparison."""
    out = []
    labels = np.array([r.label for r in rows], dtype=np.int64)
    for name, scorer, threshold in scorers:
        other = Detector(detector.lexicon, scorer=scorer, engine=detector.engine.name)
        scores = score_rows(rows, other).scores
        out.append({"name": name, **metrics_at(labels, scores, threshold)})
    return out


def lexicon_baseline(detector: Detector) -> tuple[str, Scorer, float]:
    return ("lexicon only (LexiconScorer, 0.5)", LexiconScorer(detector.lexicon), 0.5)


def _group_of(row: LabelledPost, verdict: Verdict) -> str:
    return row.group or (verdict.species[0] if verdict.species else "(no match)")


def _lang_of(row: LabelledPost, verdict: Verdict) -> str:
    return row.lang or "(unknown)"


def _kind_of(row: LabelledPost, verdict: Verdict) -> str:
    return row.kind or "(unknown)"


def _table(scored: Scored, key: Any, flag: float, likely: float) -> list[dict[str, Any]]:
    buckets: dict[str, list[int]] = defaultdict(list)
    for position, (row, verdict) in enumerate(zip(scored.rows, scored.verdicts, strict=True)):
        buckets[key(row, verdict)].append(position)
    labels, scores, at_likely = scored.labels, scored.scores, scored.likely_scores
    out = []
    for name, positions in sorted(buckets.items(), key=lambda item: (-len(item[1]), item[0])):
        at = np.array(positions)
        flagged = metrics_at(labels[at], scores[at], flag)
        likely_figures = metrics_at(labels[at], at_likely[at], likely)
        out.append({"name": name, "posts": len(at), "positives": int(labels[at].sum()),
                    "precision": flagged["precision"], "recall": flagged["recall"],
                    "f1": flagged["f1"], "fp": flagged["fp"], "fn": flagged["fn"],
                    "likely_precision": likely_figures["precision"],
                    "likely_recall": likely_figures["recall"]})
    return out


def write_report(evaluation: Evaluation, path: Path | str, *, command: str = "",
                 notes: Sequence[str] = (), quote_posts: bool = True) -> Path:
    """Write the Markdown report and, beside it, its precision-recall curve as a PNG."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    picture = target.with_suffix(".pr.png")
    drew = plot_pr_curve(evaluation, picture)
    target.write_text(render_markdown(evaluation, picture.name if drew else None, command,
                                      notes, quote_posts), encoding="utf-8")
    return target


def plot_pr_curve(evaluation: Evaluation, path: Path) -> bool:
    """Draw the precision-recall curve with both operating points marked; False if the data
    has only one label."""
    if not evaluation.curve:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5.5, 4.2), dpi=110)
    axes.step(evaluation.curve["recall"], evaluation.curve["precision"], where="post",
              color="#1f77b4", label=f"{evaluation.scored.scorer} (PR-AUC "
              f"{evaluation.at_flag['pr_auc']:.3f})")
    for name, figures, marker in (("flagged", evaluation.at_flag, "o"),
                                  ("likely", evaluation.at_likely, "s")):
        axes.plot([figures["recall"]], [figures["precision"]], marker, color="#d62728",
                  label=f"{name} ≥ {figures['threshold']:.2f}")
    for baseline in evaluation.baselines:
        axes.plot([baseline["recall"]], [baseline["precision"]], "x", color="#555555",
                  label=baseline["name"])
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_xlim(0, 1.02)
    axes.set_ylim(0, 1.02)
    axes.grid(alpha=0.3)
    axes.set_title(evaluation.title or "precision-recall", fontsize=10)
    axes.legend(loc="lower left", fontsize=7)
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
    return True


def render_markdown(evaluation: Evaluation, picture: str | None, command: str = "",
                    notes: Sequence[str] = (), quote_posts: bool = True) -> str:
    """The report. ``quote_posts=False`` leaves the posts' text out of the error lists (for
    data that may not be copied, such as the development set): ids and reasons only."""
    scored = evaluation.scored
    lines = [f"# {evaluation.title or 'Evaluation'}", ""]
    lines += [f"- **Scorer**: `{scored.scorer}`, model `{scored.model_version}`, lexicon "
              f"`{scored.lexicon_version}`",
              f"- **Posts**: {len(scored.rows):,} ({int(scored.labels.sum()):,} offers, "
              f"{len(scored.rows) - int(scored.labels.sum()):,} not)",
              f"- **Operating points**: flagged at score ≥ {evaluation.flag:.2f}, likely at "
              f"≥ {evaluation.likely:.2f}",
              f"- **Date**: {dt.datetime.now(dt.UTC):%Y-%m-%d}"]
    if command:
        lines.append(f"- **Regenerate**: `{command}`")
    lines += ["", *notes, ""] if notes else [""]
    lines += ["## At the operating points", "",
              "| point | threshold | precision | recall | F1 | MCC | TP | FP | FN | TN |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, figures in (("flagged (review)", evaluation.at_flag),
                          ("likely (automatic action)", evaluation.at_likely)):
        lines.append(f"| {name} | {figures['threshold']:.2f} | {figures['precision']:.3f} | "
                     f"{figures['recall']:.3f} | {figures['f1']:.3f} | {figures['mcc']:.3f} | "
                     f"{figures['tp']} | {figures['fp']} | {figures['fn']} | {figures['tn']} |")
    lines += ["", f"ROC-AUC {_fmt(evaluation.at_flag['roc_auc'])}, PR-AUC (average precision) "
              f"{_fmt(evaluation.at_flag['pr_auc'])}.", ""]
    held = evaluation.held_at_likely()
    if held:
        lines += [f"{held['posts']} posts scored at least {evaluation.likely:.2f} but a 'hold' "
                  f"rule kept them at review ({held['offers']} of them offers); the `likely` "
                  "row counts them as not likely, as the detector does.", ""]
    if evaluation.baselines:
        lines += ["Other scorers on the same posts:", "",
                  "| scorer | precision | recall | F1 | MCC |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {b['name']} | {b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} | "
                  f"{b['mcc']:.3f} |" for b in evaluation.baselines]
        lines.append("")
    if picture:
        lines += [f"![precision-recall curve]({picture})", ""]
    fl = evaluation.at_flag
    lines += ["## Confusion matrix at `flagged`", "", "| | flagged | not flagged |",
              "| --- | ---: | ---: |", f"| offer (label 1) | {fl['tp']} | {fl['fn']} |",
              f"| not an offer (label 0) | {fl['fp']} | {fl['tn']} |", ""]
    lines += ["## Threshold sweep", "",
              "| threshold | precision | recall | F1 | MCC | flagged |",
              "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for point in evaluation.sweep:
        mark = " ←" if point["threshold"] in (evaluation.flag, evaluation.likely) else ""
        lines.append(f"| {point['threshold']:.2f}{mark} | {point['precision']:.3f} | "
                     f"{point['recall']:.3f} | {point['f1']:.3f} | {point['mcc']:.3f} | "
                     f"{point['flagged']} |")
    if held:
        lines += ["", "The sweep counts every post at or above each threshold, held or not."]
    for heading, table in (("By species group", evaluation.by_group),
                           ("By language", evaluation.by_lang),
                           ("By kind of post", evaluation.by_kind)):
        if len(table) <= 1 and table and table[0]["name"].startswith("("):
            continue
        lines += ["", f"## {heading}", "",
                  "| | posts | offers | precision | recall | F1 | FP | FN | likely: precision "
                  "| likely: recall |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        lines += [f"| {r['name']} | {r['posts']} | {r['positives']} | {r['precision']:.3f} | "
                  f"{r['recall']:.3f} | {r['f1']:.3f} | {r['fp']} | {r['fn']} | "
                  f"{r['likely_precision']:.3f} | {r['likely_recall']:.3f} |" for r in table]
    for heading, errors in (("Worst false positives (highest-scored non-offers)",
                             evaluation.false_positives),
                            ("Worst false negatives (lowest-scored offers)",
                             evaluation.false_negatives)):
        lines += ["", f"## {heading}", ""]
        if not errors:
            lines.append("None.")
        for row, verdict in errors:
            text = " ".join(f"{row.post.title} {row.post.text}".split())
            quoted = f": {_quote(text)}" if quote_posts else ""
            lines.append(f"- **{verdict.score:.3f}** ({row.post.id}, {_group_of(row, verdict)}, "
                         f"{row.lang or '?'}{', ' + row.kind if row.kind else ''}){quoted}")
            for reason in verdict.reasons or ["(no lexicon match: never reaches the scorer)"]:
                # Reasons quote the post too ('...' snippets: phone numbers, names).
                shown = _markdown_text(reason) if quote_posts else _SNIPPET.sub("…", reason)
                lines.append(f"  - {shown}")
    lines.append("")
    return "\n".join(lines)


_SNIPPET = re.compile(r"'[^']*'")


def _quote(text: str, limit: int = 220) -> str:
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return "“" + _markdown_text(text) + "”"


def _markdown_text(text: str) -> str:
    """Listing text made inert in a Markdown report: no HTML, links, emphasis or table breaks."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]|#<>!])", r"\\\1", escaped)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.3f}"

