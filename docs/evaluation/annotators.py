"""How each of the development set's three annotators does against its final label.

    python docs/evaluation/annotators.py ../shared/data/dev/ivory-tweets-dev.jsonl

A human yardstick for the model's figures: each annotator's labels are scored as if they were
a detector's verdicts, against the final ``label``, and against the other two annotators where
those two agree (which leaves the annotator's own vote out of the reference). Prints figures
only, no posts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, matthews_corrcoef, precision_score, recall_score


def main(source: Path) -> None:
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
            if line.strip()]
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


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
