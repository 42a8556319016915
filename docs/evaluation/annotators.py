"""How each of the development set's three annotators does against its final label.

    python docs/evaluation/annotators.py ../shared/data/dev/ivory-tweets-dev.jsonl [--model]

A human yardstick for the model's figures: each annotator's labels are scored as if they were
a detector's verdicts, against the final ``label``, and against the other two annotators where
those two agree (which leaves the annotator's own vote out of the reference). With
``--model``, also how many annotators called each of the shipped model's errors an offer, at
both operating points: an error the annotators split on is one a person could make. Prints
figures only, no posts.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, matthews_corrcoef, precision_score, recall_score


def read_rows(source: Path) -> list[dict[str, Any]]:
    """The development file's rows, as parsed JSON; exits naming the first line that has no
    ``id``, ``label`` or three ``annotators`` votes."""
    rows = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        votes = row.get("annotators")
        if "id" not in row or "label" not in row or not isinstance(votes, list) or len(votes) != 3:
            sys.exit(f"{source}:{number}: needs an id, a label and three annotators' votes")
        rows.append(row)
    return rows


def main(rows: list[dict[str, Any]]) -> None:
    labels = np.array([row["label"] for row in rows])
    votes = np.array([row["annotators"] for row in rows])
    unanimous = float(np.mean(votes.min(axis=1) == votes.max(axis=1)))
    print(f"{len(rows)} posts, {int(labels.sum())} offers; all three agree on {unanimous:.1%}")
    print("| annotator | against | posts | precision | recall | F1 | MCC |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for k in range(votes.shape[1]):
        own = votes[:, k]
        others = np.delete(votes, k, axis=1)
        agree = others.min(axis=1) == others.max(axis=1)
        for against, truth, mine in (("final label", labels, own),
                                     ("the other two, where they agree", others[agree, 0],
                                      own[agree])):
            print(f"| {k + 1} | {against} | {len(truth)} | "
                  f"{precision_score(truth, mine):.3f} | {recall_score(truth, mine):.3f} | "
                  f"{f1_score(truth, mine):.3f} | {matthews_corrcoef(truth, mine):.3f} |")


def model_errors(source: Path, raw: list[dict[str, Any]]) -> None:
    """Annotators' votes on the posts the shipped model gets wrong at each operating point
    (``raw``: the rows of ``source``, as :func:`read_rows` gives them)."""
    from wildwatch.detect import Detector
    from wildwatch.model.evaluation import score_rows
    from wildwatch.model.training import read_labelled

    rows = read_labelled([source])
    votes = {str(row["id"]): sum(row["annotators"]) for row in raw}
    detector = Detector.default(scorer="model")
    scored = score_rows(rows, detector)
    flag, likely = detector.flag_threshold, detector.likely_threshold
    print(f"\nmodel {scored.model_version}: annotators voting 'offer' on its errors")
    print("| point | error | posts | 0 of 3 | 1 of 3 | 2 of 3 | 3 of 3 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for point, threshold, scores in (("flagged", flag, scored.scores),
                                     ("likely", likely, scored.likely_scores)):
        for error, wrong in (("false positive", (scores >= threshold) & (scored.labels == 0)),
                             ("false negative", (scores < threshold) & (scored.labels == 1))):
            counts = Counter(votes[row.post.id] for row, bad in zip(rows, wrong, strict=True)
                             if bad)
            cells = " | ".join(str(counts[k]) for k in range(4))
            print(f"| {point} ({threshold:.2f}) | {error} | {int(wrong.sum())} | {cells} |")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--model"]
    if len(arguments) != 1:
        sys.exit(__doc__)
    raw = read_rows(Path(arguments[0]))
    main(raw)
    if "--model" in sys.argv[1:]:
        model_errors(Path(arguments[0]), raw)
