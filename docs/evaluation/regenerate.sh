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
  # Halves by a hash of the post id (docs/evaluation/split_dev.py): A for error analysis,
  # B only measured (its figures are printed, no report lists its posts). Outside the repo:
  # the development set may not be copied into it.
  halves=$(mktemp -d)
  trap 'rm -rf "$halves"' EXIT
  python docs/evaluation/split_dev.py "$dev" "$halves"
  "${ww[@]}" evaluate "$halves/dev-A.jsonl" --no-quote-posts \
    --title "Shipped model on half A of the ivory-tweets development set (error analysis)" \
    --report docs/evaluation/dev-ivory-tweets-A.md
  sed -i "s#$halves/#HALVES/#g" docs/evaluation/dev-ivory-tweets-A.md  # not a temporary path
  echo "half B (measured only):"
  "${ww[@]}" evaluate "$halves/dev-B.jsonl" --no-quote-posts
  "${ww[@]}" evaluate "$dev" --no-quote-posts \
    --title "Shipped model on the ivory-tweets development set" \
    --report docs/evaluation/dev-ivory-tweets.md
  echo "each annotator against the final label (the human yardstick), and their votes on the model's errors:"
  python docs/evaluation/annotators.py "$dev" --model
else
  echo "skipped the dev-set reports: $dev not found" >&2
fi
