"""Split the development set into halves A and B by a hash of each post's id.

Half A is for error analysis (reading which kinds of post are missed or falsely flagged);
half B is only measured, never read post by post. The rule: a post is in A when the SHA-256
of its id (UTF-8), read as a hexadecimal number, is even, else in B. It depends on the id
alone, so a post stays in its half whatever else changes in the file.

    python docs/evaluation/split_dev.py ../shared/data/dev/ivory-tweets-dev.jsonl OUTDIR

writes OUTDIR/dev-A.jsonl and OUTDIR/dev-B.jsonl. Write them outside the repository: the
development set may not be copied into it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def half_of(post_id: str) -> str:
    """``"A"`` or ``"B"``: the half a post with this id belongs to."""
    digest = hashlib.sha256(post_id.encode("utf-8")).hexdigest()
    return "A" if int(digest, 16) % 2 == 0 else "B"


def main(source: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[str]] = {"A": [], "B": []}
    with source.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                lines[half_of(str(json.loads(line)["id"]))].append(line.rstrip("\n"))
    for half, rows in lines.items():
        (out / f"dev-{half}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{out / f'dev-{half}.jsonl'}: {len(rows)} posts")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python docs/evaluation/split_dev.py DEV.jsonl OUTDIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
