"""Train variants of the model and compare them: corpus tune and test splits, and half A.

    python docs/evaluation/variants.py [--dev-a HALVES/dev-A.jsonl] [VARIANT ...]

Each variant is trained on the corpus's ``train`` split exactly as ``wildwatch train`` does,
its operating points chosen on ``tune``; the table gives, per data set, F1 and MCC at
``flagged``, precision and recall at ``likely``, and ROC-AUC. Half A of the development set
(docs/evaluation/split_dev.py) may be named; half B never is. ``--help`` lists the variants;
all run when none is named.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wildwatch.detect import Detector
from wildwatch.lexicon import load_lexicon
from wildwatch.model.evaluation import choose_thresholds, metrics_at, score_rows
from wildwatch.model.scorer import ModelScorer
from wildwatch.model.training import read_labelled, train_model

CORPUS = Path(__file__).resolve().parents[2] / "data" / "training" / "posts.jsonl"
_AUTHENTICITY = ("text.authenticity", "bio.authenticity", "combo.claim_with_product")
_BIO_SALE = ("bio.intent", "bio.price", "bio.contact", "bio.authenticity", "combo.seller_bio")
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "shipped": ("the shipped model's settings", {}),
    "dense-x8": ("dense features scaled x8 (less penalised)", {"dense_scale": 8.0}),
    "dense-x2": ("dense features scaled x2", {"dense_scale": 2.0}),
    "dense-x1": ("dense features unscaled", {"dense_scale": 1.0}),
    "c-0.3": ("stronger L2 penalty, C=0.3", {"c": 0.3}),
    "c-3": ("weaker L2 penalty, C=3", {"c": 3.0}),
    "no-words": ("character n-grams only, no word n-grams", {"words": ()}),
    "no-ngrams": ("the rules' dense features only", {"ngrams": False}),
    "no-authenticity": ("without the authenticity features", {"without": _AUTHENTICITY}),
    "no-bio-sale": ("without the bio's sale and authenticity features", {"without": _BIO_SALE}),
}


def compare(names: Sequence[str], dev_a: Path | None) -> None:
    lexicon = load_lexicon()
    train = read_labelled([CORPUS], split="train")
    sets = [("tune", read_labelled([CORPUS], split="tune")),
            ("test", read_labelled([CORPUS], split="test"))]
    if dev_a is not None:
        sets.append(("dev A", read_labelled([dev_a])))
    print("| variant | points | " + " | ".join(
        f"{name}: F1 / MCC / likely P / likely R / AUC" for name, _ in sets) + " |")
    print("| --- | --- |" + " --- |" * len(sets))
    for name in names:
        options = VARIANTS[name][1]
        model = train_model(train, lexicon, **options).model
        detector = Detector(lexicon, scorer=ModelScorer(lexicon, model))
        scored = {label: score_rows(rows, detector) for label, rows in sets}
        flag, likely = choose_thresholds(scored["tune"].labels, scored["tune"].scores,
                                         held=scored["tune"].held)
        cells = []
        for label, _ in sets:
            run = scored[label]
            at_flag = metrics_at(run.labels, run.scores, flag)
            at_likely = metrics_at(run.labels, run.likely_scores, likely)
            cells.append(f"{at_flag['f1']:.3f} / {at_flag['mcc']:.3f} / "
                         f"{at_likely['precision']:.3f} / {at_likely['recall']:.3f} / "
                         f"{at_flag['roc_auc']:.3f}")
        print(f"| {name} | {flag:.2f} / {likely:.2f} | " + " | ".join(cells) + " |", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev-a", type=Path, help="half A of the development set")
    parser.add_argument("variants", nargs="*", metavar="VARIANT", help="; ".join(
        f"{name}: {note}" for name, (note, _) in VARIANTS.items()))
    args = parser.parse_args(argv)
    unknown = sorted(set(args.variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variant {', '.join(unknown)}; choose from {', '.join(VARIANTS)}")
    compare(args.variants or list(VARIANTS), args.dev_a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
