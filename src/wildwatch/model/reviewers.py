"""Learning from reviewers: the store's decisions as labelled posts, and a fair comparison.

Every decision a reviewer makes on a post the model sent them is a label the model never had
(1: remove the post or block the seller, 0: allow it). ``wildwatch train --from-decisions``
adds them to the training corpus as extra rows, keeps part of them aside, and compares the
retrained model with the one in use on those held-out decisions and on the corpus's test
split: :func:`compare` and :func:`render_comparison` (see docs/model.md, docs/analysts.md).

The decisions are added to the corpus rather than used alone: a few hundred decisions cover a
handful of species and phrasings, and a model fitted on them alone would forget the rest of the
lexicon.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wildwatch.detect import Detector
from wildwatch.ingest.post import PostError, post_from_mapping
from wildwatch.lexicon import Lexicon
from wildwatch.model.artifact import RiskModel
from wildwatch.model.evaluation import Evaluation, evaluate, score_rows, write_report
from wildwatch.model.scorer import ModelScorer
from wildwatch.model.training import LabelledDataError, LabelledPost

#: Fewer decisions than this teach the model nothing it can measure.
MIN_DECISIONS = 20
#: The share of each label's decisions held out for the comparison.
DEFAULT_HOLDOUT = 0.25
#: How much F1 the new model may lose on the corpus's test split and still count as better:
#: a little is noise; more means it forgot what the corpus taught.
FORGETTING_TOLERANCE = 0.02
#: Below this many held-out decisions, the report warns that one post moves the figures a lot.
FEW_HELD_OUT = 100

#: Where the training corpus lives in a source checkout (it does not ship in the package).
CORPUS = Path(__file__).resolve().parents[3] / "data" / "training" / "posts.jsonl"


class NotEnoughDecisions(ValueError):
    """The store's decisions cannot train or test a model; the message says why and what to do."""


def decision_rows(labelled: Iterable[tuple[Mapping[str, Any], int]]) -> list[LabelledPost]:
    """The store's decided posts (what ``Store.labelled_posts()`` yields) as labelled rows.

    A row's post id becomes ``platform/id`` (the reports show it, and ids must be unique
    across platforms); its ``line`` says which decision it was.
    """
    rows: list[LabelledPost] = []
    seen: Counter[str] = Counter()
    for number, (body, label) in enumerate(labelled, start=1):
        platform = body.get("platform")
        key = f"{platform}/{body.get('id')}" if platform else str(body.get("id"))
        seen[key] += 1
        fields = dict(body, id=key if seen[key] == 1 else f"{key}#{seen[key]}")
        try:
            post = post_from_mapping(fields)
        except PostError as exc:
            raise LabelledDataError(f"decision {number} (post {key}): {exc}") from None
        rows.append(LabelledPost(post, label, f"decision {number}", lang=post.lang or ""))
    return rows


def check_decisions(rows: Sequence[LabelledPost]) -> None:
    """Refuse too few decisions, or decisions that all say the same."""
    offers = sum(row.label for row in rows)
    counts = f"{offers} to remove or block, {len(rows) - offers} to allow"
    if len(rows) < MIN_DECISIONS:
        raise NotEnoughDecisions(
            f"the store holds {len(rows)} reviewers' decisions ({counts}; escalations do not "
            f"count); learning from reviewers needs at least {MIN_DECISIONS}. Decide more posts "
            "in the review queue, or train on labelled files: wildwatch train FILE...")
    if offers in (0, len(rows)):
        said = "remove or block" if offers else "allow"
        raise NotEnoughDecisions(
            f"all {len(rows)} reviewers' decisions in the store say {said}; learning from "
            "reviewers needs decisions of both kinds (remove or block, and allow) to measure "
            "what the model gets wrong")


def hold_out(rows: Sequence[LabelledPost], fraction: float = DEFAULT_HOLDOUT,
             seed: int = 0) -> tuple[list[LabelledPost], list[LabelledPost]]:
    """Split decisions into (training, held out), stratified by label.

    In each label, the ``fraction`` (at least one) whose hash of ``seed`` and post id is
    lowest is held out. Ranking by a hash rather than shuffling keeps a decision held out as
    more decisions come in (same seed and fraction), so a model trained from earlier
    decisions is rarely compared on the ones it learnt from.
    """
    if not 0 < fraction < 1:
        raise ValueError(f"the held-out fraction must be between 0 and 1, not {fraction}")
    held_ids: set[int] = set()
    for label in (0, 1):
        members = [i for i, row in enumerate(rows) if row.label == label]
        members.sort(key=lambda i: _rank(seed, rows[i].post.id))
        held_ids.update(members[:max(1, round(len(members) * fraction))] if members else [])
    training = [row for i, row in enumerate(rows) if i not in held_ids]
    held = [row for i, row in enumerate(rows) if i in held_ids]
    return training, held


def _rank(seed: int, key: str) -> bytes:
    return hashlib.sha256(f"{seed}\0{key}".encode()).digest()


def without_decided(corpus: Sequence[LabelledPost],
                    decisions: Sequence[LabelledPost]) -> list[LabelledPost]:
    """Corpus rows whose wording is not also a decided post's: a post counts once, and a
    held-out decision must not be learnt from the corpus."""
    decided = {_wording(row) for row in decisions}
    return [row for row in corpus if _wording(row) not in decided]


def _wording(row: LabelledPost) -> str:
    post = row.post
    return " ".join(f"{post.title}\n{post.text}\n{post.description}".lower().split())


@dataclass(slots=True)
class Compared:
    """Both models on one set of labelled posts, each at its own operating points."""

    name: str
    active: Evaluation
    new: Evaluation

    def disagreements(self) -> tuple[int, int]:
        """Posts the two models flag differently: (the new one is right, the one in use is
        right). Easier to weigh than a change of MCC when there are few posts."""
        labels = self.new.scored.labels == 1
        new = (self.new.scored.scores >= self.new.flag) == labels
        active = (self.active.scored.scores >= self.active.flag) == labels
        return int((new & ~active).sum()), int((active & ~new).sum())


@dataclass(slots=True)
class Comparison:
    """The retrained model against the one in use."""

    active: RiskModel
    active_origin: str
    """Where the model in use came from, in words."""
    new: RiskModel
    decisions: Compared
    """On the held-out decisions: what the platform's reviewers say."""
    corpus: Compared
    """On the corpus's test split: whether the rest of the lexicon is still known."""

    @property
    def gains(self) -> bool:
        """Better MCC than the model in use on the held-out decisions."""
        return bool(self.decisions.new.at_flag["mcc"] > self.decisions.active.at_flag["mcc"])

    @property
    def forgets(self) -> bool:
        """Lost more than :data:`FORGETTING_TOLERANCE` F1 on the corpus's test split."""
        return bool(self.corpus.new.at_flag["f1"]
                    < self.corpus.active.at_flag["f1"] - FORGETTING_TOLERANCE)

    @property
    def better(self) -> bool:
        return self.gains and not self.forgets

    def verdict(self, model_file: Path | str) -> str:
        """One line that says whether to promote the new model, and why."""
        held, test = self.decisions, self.corpus
        new_right, active_right = held.disagreements()
        mcc = (f"on the {len(held.new.scored.rows)} held-out decisions its MCC is "
               f"{held.new.at_flag['mcc']:.3f} against {held.active.at_flag['mcc']:.3f} (it "
               f"gets {new_right} right that the one in use gets wrong, and {active_right} "
               "wrong that it gets right)")
        f1 = (f"on the corpus's test split its F1 is {test.new.at_flag['f1']:.3f} against "
              f"{test.active.at_flag['f1']:.3f}")
        if self.better:
            return (f"**The new model is better**: {mcc}, and {f1}. Promote it with "
                    f"`wildwatch model promote {model_file}`.")
        if not self.gains:
            return (f"**The new model is not better; keep the one in use**: {mcc} ({f1}).")
        return (f"**The new model is not better; keep the one in use**: {mcc}, but {f1}, a "
                f"loss of more than {FORGETTING_TOLERANCE}: it has forgotten part of what the "
                "corpus taught.")

    def figures(self) -> dict[str, Any]:
        """The comparison's figures at each model's ``flagged`` point (kept in the model file)."""
        keys = ("threshold", "precision", "recall", "f1", "mcc")
        return {
            "against": self.active.version, "better": self.better,
            **{compared.name: {
                "posts": len(compared.new.scored.rows),
                "new_right": compared.disagreements()[0],
                "in_use_right": compared.disagreements()[1],
                "in_use": {k: compared.active.at_flag[k] for k in keys},
                "new": {k: compared.new.at_flag[k] for k in keys},
            } for compared in (self.decisions, self.corpus)},
        }


def model_detector(lexicon: Lexicon, model: RiskModel) -> Detector:
    """A detector that scores with ``model`` at its own operating points."""
    return Detector(lexicon, scorer=ModelScorer(lexicon, model),
                    flag_threshold=model.thresholds[0], likely_threshold=model.thresholds[1])


def compare(lexicon: Lexicon, active: RiskModel, active_origin: str, new: RiskModel,
            held_out: Sequence[LabelledPost], corpus_test: Sequence[LabelledPost]
            ) -> Comparison:
    """Evaluate both models on the held-out decisions and on the corpus's test split."""
    evaluations: dict[str, list[Evaluation]] = {}
    for role, model in (("in use", active), ("new", new)):
        detector = model_detector(lexicon, model)
        evaluations[role] = [
            evaluate(score_rows(rows, detector), *model.thresholds,
                     f"{role}: {model.version} on {name}")
            for name, rows in (("held-out decisions", held_out),
                               ("the corpus's test split", corpus_test))]
    return Comparison(
        active, active_origin, new,
        Compared("held_out_decisions", evaluations["in use"][0], evaluations["new"][0]),
        Compared("corpus_test", evaluations["in use"][1], evaluations["new"][1]))


#: The detailed reports beside the comparison: (file, model role, data set).
DETAIL_REPORTS = (("in-use-decisions.md", "in use", "held-out decisions"),
                  ("new-decisions.md", "new", "held-out decisions"),
                  ("in-use-corpus-test.md", "in use", "corpus test split"),
                  ("new-corpus-test.md", "new", "corpus test split"))


def write_comparison(comparison: Comparison, folder: Path | str, *, model_file: Path | str,
                     facts: Sequence[str] = (), command: str = "",
                     quote_posts: bool = True) -> Path:
    """Write ``comparison.md`` and the four detailed evaluation reports into ``folder``.

    ``quote_posts`` applies to the reports on decisions (real posts); the corpus is synthetic.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    evaluations = (comparison.decisions.active, comparison.decisions.new,
                   comparison.corpus.active, comparison.corpus.new)
    for (name, _, data), evaluation in zip(DETAIL_REPORTS, evaluations, strict=True):
        write_report(evaluation, target / name, command=command,
                     quote_posts=quote_posts or data != "held-out decisions")
    path = target / "comparison.md"
    path.write_text(render_comparison(comparison, model_file=model_file, facts=facts,
                                      command=command), encoding="utf-8")
    return path


_ROWS = (("flagged at score ≥", "threshold"), ("precision", "precision"), ("recall", "recall"),
         ("F1", "f1"), ("MCC", "mcc"), ("ROC-AUC", "roc_auc"), ("PR-AUC", "pr_auc"))


def render_comparison(comparison: Comparison, *, model_file: Path | str,
                      facts: Sequence[str] = (), command: str = "") -> str:
    """The comparison as Markdown: the verdict, then both models side by side per data set."""
    active, new = comparison.active, comparison.new
    lines = ["# Learning from reviewers: the new model against the one in use", "",
             comparison.verdict(model_file), "",
             f"- **In use**: `{active.version}` ({comparison.active_origin})",
             f"- **New**: `{new.version}`, written to `{model_file}`",
             *[f"- {fact}" for fact in facts],
             f"- **Date**: {dt.datetime.now(dt.UTC):%Y-%m-%d}"]
    if command:
        lines.append(f"- **Regenerate**: `{command}`")
    lines.append("")
    held = len(comparison.decisions.new.scored.rows)
    if held < FEW_HELD_OUT:
        lines += [f"With {held} held-out decisions one post moves recall or precision by "
                  "several points: treat small differences as noise, and retrain when more "
                  "decisions have come in.", ""]
    lines += ["Each model is measured at its own `flagged` threshold (the one it would use in "
              f"production). The new model counts as better when its MCC on the held-out "
              f"decisions is higher and its F1 on the corpus's test split is at most "
              f"{FORGETTING_TOLERANCE} lower.", ""]
    for compared, heading in ((comparison.decisions, "On the held-out decisions"),
                              (comparison.corpus, "On the corpus's test split")):
        scored = compared.new.scored
        offers = int(scored.labels.sum())
        lines += [f"## {heading} ({len(scored.rows):,} posts: {offers:,} offers, "
                  f"{len(scored.rows) - offers:,} not)", "",
                  f"| at `flagged` | in use `{active.version}` | new `{new.version}` | change |",
                  "| --- | ---: | ---: | ---: |"]
        for label, key in _ROWS:
            before, after = compared.active.at_flag[key], compared.new.at_flag[key]
            change = "" if key == "threshold" or before is None or after is None \
                else f"{after - before:+.3f}"
            lines.append(f"| {label} | {_figure(before)} | {_figure(after)} | {change} |")
        counts = ("tp", "fp", "fn", "tn")
        lines.append("| TP / FP / FN / TN | "
                     + " / ".join(str(compared.active.at_flag[k]) for k in counts) + " | "
                     + " / ".join(str(compared.new.at_flag[k]) for k in counts) + " | |")
        new_right, active_right = compared.disagreements()
        lines.append(f"| right where the two differ | {active_right} | {new_right} | |")
        lines.append("")
    lines += ["## Details", ""]
    lines += [f"- [{role} model on the {data}]({name})" for name, role, data in DETAIL_REPORTS]
    lines.append("")
    return "\n".join(lines)


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
