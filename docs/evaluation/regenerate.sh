#!/usr/bin/env bash
# Regenerate the shipped model and its evaluation reports (run from the repository root).
#   bash docs/evaluation/regenerate.sh            # reports only, for the shipped model
#   bash docs/evaluation/regenerate.sh --retrain  # also regenerate the corpus and retrain
# The dev-set report needs ../shared/data/dev/ivory-tweets-dev.jsonl (not in the repo); it is
# skipped when the file is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
ww=(wildwatch)
if [[ "${1:-}" == "--retrain" ]]; then
  python data/training/make_corpus.py
  "${ww[@]}" train data/training/posts.jsonl --split train --thresholds-from tune \
    --out src/wildwatch/model/data/risk-model.zip
fi
"${ww[@]}" evaluate data/training/posts.jsonl --split test \
  --title "Shipped model on the corpus's held-out test split" \
  --report docs/evaluation/heldout-test.md
"${ww[@]}" evaluate data/training/posts.jsonl --split tune \
  --title "Shipped model on the corpus's tune split (where its thresholds were chosen)" \
  --report docs/evaluation/heldout-tune.md
dev=../shared/data/dev/ivory-tweets-dev.jsonl
if [[ -f "$dev" ]]; then
  "${ww[@]}" evaluate "$dev" --no-quote-posts \
    --title "Shipped model on the ivory-tweets development set" \
    --report docs/evaluation/dev-ivory-tweets.md
else
  echo "skipped the dev-set report: $dev not found" >&2
fi
