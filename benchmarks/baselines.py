"""The two baselines a scan is measured against, each run as its own process by bench_scan.py.

python benchmarks/baselines.py floor CORPUS OUT
    Read each JSONL line, parse it with orjson and write it back: the cost of reading and
    writing the corpus with no detection at all. Nothing can scan faster than this.

python benchmarks/baselines.py flashtext CORPUS OUT --terms TERMS.json
    The common approach: lower-case each post's title, text, description and hashtags, and
    look for every lexicon term (lower-cased) with flashtext's KeywordProcessor. Writes one
    line per post: {"id", "keywords": [...], "groups": [...]}. TERMS.json is a list of
    [text, group] pairs (bench_scan.py writes it from the lexicon), so that this process does
    not pay for importing wildwatch.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson


def copy_posts(corpus: Path, out: Path) -> int:
    """Parse and re-serialise every post; return the number of posts."""
    count = 0
    loads, dumps = orjson.loads, orjson.dumps
    with corpus.open("rb") as source, out.open("wb", buffering=1 << 20) as sink:
        for line in source:
            sink.write(dumps(loads(line)) + b"\n")
            count += 1
    return count


def flashtext_scan(corpus: Path, out: Path, terms: Path) -> int:
    """Find lexicon terms the way most keyword filters do; return the number of posts."""
    from flashtext import KeywordProcessor

    # Already lower-cased below, so flashtext need not fold case again.
    processor = KeywordProcessor(case_sensitive=True)
    groups_of: dict[str, set[str]] = {}
    for text, group in orjson.loads(terms.read_bytes()):
        keyword = text.lower()
        processor.add_keyword(keyword)
        groups_of.setdefault(keyword, set()).add(group)
    count = 0
    loads, dumps = orjson.loads, orjson.dumps
    with corpus.open("rb") as source, out.open("wb", buffering=1 << 20) as sink:
        for line in source:
            post = loads(line)
            text = " ".join(
                [
                    post.get("title") or "",
                    post.get("text") or "",
                    post.get("description") or "",
                    " ".join(post.get("hashtags") or ()),
                ]
            ).lower()
            found = processor.extract_keywords(text)
            groups = sorted({g for keyword in found for g in groups_of[keyword]})
            sink.write(dumps({"id": post["id"], "keywords": found, "groups": groups}) + b"\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", choices=("floor", "flashtext"))
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--terms", type=Path, help="flashtext: JSON list of [text, group] pairs")
    args = parser.parse_args(argv)
    if args.baseline == "floor":
        count = copy_posts(args.corpus, args.out)
    elif args.terms is None:
        parser.error("flashtext needs --terms TERMS.json")
    else:
        count = flashtext_scan(args.corpus, args.out, args.terms)
    print(f"{args.baseline}: {count} posts", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
