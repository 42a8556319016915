"""Training: labelled posts in, a calibrated :class:`RiskModel` and cross-validated figures out.

A labelled file is JSONL or CSV with the post's fields and a ``label`` (1: the post offers or
promotes the sale or trade of a wildlife product or live animal covered by the policy; 0: not).
Optional fields used here: ``template`` (posts generated from one template are kept in one
cross-validation fold, so the figures measure new phrasings, not new fillings of a known one),
``split``, ``group`` and ``lang`` (for the per-species and per-language tables).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from wildwatch.detect import Detector
from wildwatch.detect.scoring import Assessment, Evidence, Scorer
from wildwatch.ingest.post import Post, PostError, post_from_mapping
from wildwatch.lexicon import Lexicon
from wildwatch.model.artifact import RiskModel, today
from wildwatch.model.features import dense_feature_names, dense_features, mask_text
from wildwatch.model.hashing import NgramHasher
from wildwatch.signals import PostEvidence, RuleEngine, SignalSet, load_signals
from wildwatch.text import Normalizer

#: The dense features are multiplied by this before fitting, so the L2 penalty holds them back
#: less than the many n-gram weights (the weights are stored unscaled).
DENSE_SCALE = 4.0
DEFAULT_C = 1.0
DEFAULT_FOLDS = 5
#: Word n-grams hashed beside the character n-grams (of the text and of the bio).
WORDS = (1, 2)
_LABEL_FIELDS = ("label", "template", "split", "group", "kind", "annotators")


class LabelledDataError(ValueError):
    """A labelled file cannot be used; the message names the file, the line and the fix."""


@dataclass(slots=True)
class LabelledPost:
    """One labelled post and the facts the reports group by."""

    post: Post
    label: int
    line: str
    """Where it came from: ``file:line``."""
    template: str = ""
    split: str = ""
    group: str = ""
    kind: str = ""
    lang: str = ""


def read_labelled(paths: Iterable[Path | str], split: str | None = None) -> list[LabelledPost]:
    """Read JSONL or CSV files of labelled posts; ``split`` keeps only rows with that split.

    Raises :class:`LabelledDataError` naming the first bad row.
    """
    out: list[LabelledPost] = []
    for path in map(Path, paths):
        for line, record in _records(path):
            where = f"{path}:{line}"
            raw_label = record.get("label")
            try:
                label = int(str(raw_label).strip())
            except ValueError:
                label = -1
            if label not in (0, 1):
                raise LabelledDataError(f"{where}: label {raw_label!r} is not 0 or 1; give "
                                        "every row a 'label' of 0 (not an offer) or 1 (an offer)")
            facts = {key: record.get(key) for key in _LABEL_FIELDS}
            fields = {k: v for k, v in record.items() if k not in _LABEL_FIELDS}
            fields["id"] = str(fields.get("id") or f"{path.name}:{line}")
            try:
                post = post_from_mapping(fields)
            except PostError as exc:
                raise LabelledDataError(f"{where}: {exc}") from None
            row = LabelledPost(post, label, where, str(facts["template"] or ""),
                               str(facts["split"] or ""), str(facts["group"] or ""),
                               str(facts["kind"] or ""), str(post.lang or ""))
            if split is None or row.split == split:
                out.append(row)
    return out


def _records(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise LabelledDataError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as stream:
            for line, row in enumerate(csv.DictReader(stream), start=2):
                record: dict[str, Any] = dict(row)
                if "seller.bio" in record:
                    record["seller"] = {"bio": record.pop("seller.bio") or None}
                if "price" in record:
                    record["price"] = float(record["price"]) if record["price"] else None
                yield line, record
        return
    with path.open(encoding="utf-8") as stream:
        for line, text in enumerate(stream, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise LabelledDataError(f"{path}:{line}: not JSON ({exc.msg}); write one JSON "
                                        "object per line") from None
            if not isinstance(record, dict):
                raise LabelledDataError(f"{path}:{line}: not a JSON object")
            yield line, record


class _Recorder(Scorer):
    """Keeps the evidence the detector found, scoring nothing (training only)."""

    name = "recorder"

    def __init__(self) -> None:
        self.seen: dict[str, Evidence] = {}

    def assess(self, evidence: Evidence) -> Assessment:
        self.seen[evidence.post.id] = evidence
        return Assessment(0.0)


def collect_evidence(detector: Detector, posts: Sequence[Post]) -> list[Evidence | None]:
    """The lexicon evidence for each post (None where no term matched), as the scanner finds it.

    Post ids must be unique.
    """
    recorder = _Recorder()
    scanner = Detector(detector.lexicon, scorer=recorder, engine=detector.engine.name)
    for start in range(0, len(posts), 2048):
        scanner.scan_batch(posts[start:start + 2048])
    return [recorder.seen.get(post.id) for post in posts]


@dataclass(slots=True)
class Featurised:
    """Posts as the model sees them. Posts in which no lexicon term counts are not featurised:
    they score 0 whatever the model says."""

    rows: list[int]
    """Positions (in the input) of the featurised posts."""
    posts: list[PostEvidence]
    dense: npt.NDArray[np.float64]
    texts: list[str]
    bios: list[str]


def featurise(engine: RuleEngine, evidences: Sequence[Evidence | None],
              names: Sequence[str]) -> Featurised:
    present = [(i, e) for i, e in enumerate(evidences) if e is not None]
    weighed = engine.weigh_many([e for _, e in present])
    keep = [(i, p) for (i, _), p in zip(present, weighed, strict=True) if p.groups]
    posts = [p for _, p in keep]
    return Featurised([i for i, _ in keep], posts, dense_features(posts, names),
                      [mask_text(p.text) for p in posts], [mask_text(p.bio) for p in posts])


@dataclass(slots=True)
class TrainingResult:
    model: RiskModel
    cv: dict[str, Any]
    """Cross-validated figures (out-of-fold, calibrated) on the training posts."""
    oof: npt.NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    """Out-of-fold calibrated probabilities of all training posts (0 where nothing counted)."""
    labels: npt.NDArray[np.int64] = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    held: list[bool] = field(default_factory=list)
    """Per training post: a 'hold' rule keeps it from ``likely`` whatever its score."""


def train_model(rows: Sequence[LabelledPost], lexicon: Lexicon, *,
                signals: SignalSet | None = None, folds: int = DEFAULT_FOLDS,
                c: float = DEFAULT_C, seed: int = 0,
                thresholds: tuple[float, float] = (0.5, 0.9),
                detector: Detector | None = None,
                data_note: str = "", ngrams: bool = True, dense_scale: float = DENSE_SCALE,
                words: tuple[int, ...] = WORDS,
                without: Collection[str] = ()) -> TrainingResult:
    """Fit the model on ``rows``: cross-validate (folds grouped by ``template``), fit Platt
    scaling on the out-of-fold decisions, then fit on all rows.

    ``thresholds`` are written into the model as its operating points; choose them on data the
    model has not seen (see :func:`wildwatch.model.evaluation.choose_thresholds`).
    ``ngrams``, ``dense_scale``, ``words`` and ``without`` (dense features held at 0) are for
    measuring what each part adds (docs/evaluation/variants.py); the defaults are the shipped
    model's.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    if len({r.label for r in rows}) < 2:
        raise LabelledDataError("training needs posts of both labels (0 and 1)")
    signal_set = signals or load_signals()
    detector = detector or Detector(lexicon)
    engine = RuleEngine(lexicon, signal_set, Normalizer())
    names = dense_feature_names(signal_set)
    labels_all = np.array([r.label for r in rows], dtype=np.int64)
    evidences = collect_evidence(detector, [r.post for r in rows])
    data = featurise(engine, evidences, names)
    for position, name in enumerate(names):
        if name in without:
            data.dense[:, position] = 0.0
    text_hasher, bio_hasher = NgramHasher(words=words), NgramHasher(bits=16, salt=1, words=words)
    x = _design(data, text_hasher, bio_hasher, ngrams, dense_scale)
    y = labels_all[data.rows]
    groups = [rows[i].template or f"row{i}" for i in data.rows]

    def fit(features: sp.csr_matrix, target: npt.NDArray[np.int64]) -> Any:
        estimator = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
        return estimator.fit(features, target)

    decision = np.zeros(len(y))
    usable_folds = min(folds, len(set(groups)), int(min(np.bincount(y, minlength=2))))
    if usable_folds >= 2 and len(set(y.tolist())) == 2:
        splitter = StratifiedGroupKFold(n_splits=usable_folds, shuffle=True, random_state=seed)
        for train_at, test_at in splitter.split(x, y, groups):
            if len(set(y[train_at].tolist())) < 2:
                continue
            decision[test_at] = fit(x[train_at], y[train_at]).decision_function(x[test_at])
        calibration = _platt(decision, y)
    else:
        usable_folds = 0
        calibration = (-1.0, 0.0)
    final = fit(x, y)
    coef = final.coef_.ravel()
    dense_count = len(names)
    model = RiskModel(
        dense_names=list(names),
        dense_coef=coef[:dense_count] * dense_scale,
        text_coef=coef[dense_count:dense_count + text_hasher.size].astype(np.float32),
        bio_coef=coef[dense_count + text_hasher.size:].astype(np.float32),
        intercept=float(final.intercept_[0]),
        calibration=calibration,
        thresholds=thresholds,
        text_hasher=text_hasher,
        bio_hasher=bio_hasher,
        meta={
            "created": today(),
            "lexicon_version": lexicon.version,
            "signals_version": signal_set.version,
            "algorithm": (f"logistic regression (liblinear, L2, C={c:g}) on dense rule "
                          f"features x{dense_scale:g}"
                          + (" and hashed character 2-4-grams" if ngrams else "")
                          + (f" and word {min(words)}-{max(words)}-grams"
                             if ngrams and words else "")
                          + "; Platt scaling on out-of-fold decisions"),
            "training": {
                "posts": len(rows), "positives": int(labels_all.sum()),
                "scored_posts": len(y), "folds": usable_folds, "seed": seed,
                "data": data_note or _data_digest(rows),
            },
        },
    )
    oof = np.zeros(len(rows))
    if usable_folds:
        oof[data.rows] = model.probability(decision)
    from wildwatch.model.evaluation import metrics_at

    cv = metrics_at(labels_all, oof, thresholds[0]) if usable_folds else {}
    if cv:
        model.meta["training"]["cross_validated"] = {k: cv[k] for k in
                                                     ("precision", "recall", "f1", "mcc",
                                                      "roc_auc", "pr_auc")}
        model.version = model.content_version()
    held = [False] * len(rows)
    for position, post in zip(data.rows, data.posts, strict=True):
        held[position] = post.groups[0].held is not None
    return TrainingResult(model, cv, oof, labels_all, held)


def _design(data: Featurised, text_hasher: NgramHasher, bio_hasher: NgramHasher,
            ngrams: bool = True, dense_scale: float = DENSE_SCALE) -> sp.csr_matrix:
    """Dense features (scaled) then the two n-gram blocks; without ``ngrams`` the blocks are
    empty columns, so the weights keep their shape."""
    text = text_hasher.matrix(data.texts)
    bio = bio_hasher.matrix(data.bios)
    if not ngrams:
        text, bio = sp.csr_matrix(text.shape), sp.csr_matrix(bio.shape)
    blocks = [sp.csr_matrix(data.dense * dense_scale), text, bio]
    return sp.hstack(blocks, format="csr")


def _platt(decision: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> tuple[float, float]:
    """Platt scaling, as scikit-learn's CalibratedClassifierCV(method="sigmoid") fits it:
    ``p = 1 / (1 + exp(a * d + b))``, with Platt's smoothed targets."""
    from scipy.optimize import minimize

    positives = float(y.sum())
    negatives = float(len(y) - positives)
    target = np.where(y == 1, (positives + 1) / (positives + 2), 1 / (negatives + 2))

    def loss(params: npt.NDArray[np.float64]) -> float:
        z = params[0] * decision + params[1]
        # log(1 + exp(z)) computed stably; p = sigmoid(-z)
        log_p = -np.logaddexp(0, z)
        log_not_p = -np.logaddexp(0, -z)
        return float(-(target * log_p + (1 - target) * log_not_p).sum())

    found = minimize(loss, np.array([-1.0, 0.0]), method="L-BFGS-B")
    return float(found.x[0]), float(found.x[1])


def _data_digest(rows: Sequence[LabelledPost]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.line}\0{row.label}\0{row.post.text}\0{row.post.title}\n".encode())
    return f"{len(rows)} posts, sha256 {digest.hexdigest()[:12]}"
