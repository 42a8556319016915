"""The scanner's fast path gives, byte for byte, what the ordinary path gives.

The ordinary path decodes each line with msgspec into a Post and scans it with
Detector.scan_batch; BlockScanner reads lines in compiled code and sends only posts with a
match (and lines it is unsure of) that way. Whatever the input, the two must write the same
verdicts and the same errors.
"""

from __future__ import annotations

import json
import random

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from post_lines import EDGE_LINES, LIMIT, lines
from tests_support import detector_for, service_detector
from wildwatch.detect import Detector
from wildwatch.detect.blocks import BlockScanner
from wildwatch.ingest.post import Post
from wildwatch.ingest.readers import ErrorRecord, decode_jsonl_record, record_too_large

_encoder = msgspec.json.Encoder()


@pytest.fixture(scope="module")
def detector() -> Detector:
    return detector_for("hyperscan")


@pytest.fixture(scope="module")
def scanner(detector: Detector) -> BlockScanner:
    return BlockScanner(detector)


def ordinary(detector: Detector, block: bytes, write_all: bool,
             first_line: int = 1, offset: int = 0) -> tuple[bytes, list[ErrorRecord]]:
    """The ordinary way, line by line: msgspec, Post, Detector.scan_batch."""
    posts: list[Post] = []
    errors: list[ErrorRecord] = []
    at = offset
    for number, line in enumerate(block.split(b"\n"), first_line):
        size = len(line) + 1
        if len(line) > LIMIT:
            errors.append(record_too_large(number, at, size, LIMIT))
        elif line.strip():
            decoded = decode_jsonl_record(line, number, at)
            (posts if isinstance(decoded, Post) else errors).append(decoded)  # type: ignore[arg-type]
        at += size
    verdicts = detector.scan_batch(posts)
    chosen = verdicts if write_all else [v for v in verdicts if v.flagged]
    return (_encoder.encode_lines(chosen) if chosen else b""), errors


def assert_same(detector: Detector, scanner: BlockScanner, block: bytes) -> None:
    for write_all in (True, False):
        fast = scanner.scan(block, 1, 0, LIMIT, write_all)
        expected_output, expected_errors = ordinary(detector, block, write_all)
        assert fast.output == expected_output
        assert sorted(fast.errors, key=lambda e: e.line) == expected_errors
        assert fast.verdicts + len(fast.errors) == sum(
            1 for line in block.split(b"\n") if line.strip())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), min_size=1, max_size=12))
def test_fast_path_writes_what_the_ordinary_path_writes(detector: Detector,
                                                         scanner: BlockScanner,
                                                         records: list[bytes]) -> None:
    assert_same(detector, scanner, b"\n".join(records) + b"\n")


@pytest.mark.parametrize("line", EDGE_LINES)
def test_lines_the_fast_path_leaves_alone_still_come_out_the_same(
        detector: Detector, scanner: BlockScanner, line: bytes) -> None:
    block = b'{"id":"before","text":"plain words"}\n' + line + b'\n{"id":"after"}\n'
    assert_same(detector, scanner, block)


def test_the_model_scorer_gets_the_same_bytes_both_ways() -> None:
    # The fast path writes clear verdicts in the scorer's name; with the model, matched posts
    # get the model's scores, reasons and version the ordinary way.
    detector = service_detector()
    offers = [json.dumps({"id": f"o{i}", "title": title, "text": text, "lang": "en"}).encode()
              for i, (title, text) in enumerate([
                  ("Carved ivory tusk", "Real, not resin. DM for price, ships worldwide"),
                  ("Ivory white wedding dress", "Size 10, worn once"),
                  ("Rhino horn cup", "antique, WhatsApp +44 7700 900123"),
                  ("Pangolin scales", "news: customs seized 2 tonnes at the port")])]
    plain = [b'{"id":"p%d","title":"blue garden chair","lang":"fr"}' % i for i in range(20)]
    assert_same(detector, BlockScanner(detector),
                b"\n".join([*plain[:10], *offers, *EDGE_LINES, *plain[10:]]) + b"\n")


def test_a_block_without_a_final_newline(detector: Detector, scanner: BlockScanner) -> None:
    assert_same(detector, scanner, b'{"id":"a"}\n{"id":"b","title":"rhino horn"}')


def test_most_posts_take_the_fast_path(scanner: BlockScanner) -> None:
    rng = random.Random(3)
    words = ["blue", "chair", "lamp", "garden", "sofa", "vintage", "bicycle", "shoes"]
    records = [json.dumps({"id": str(i), "title": " ".join(rng.choices(words, k=5)),
                           "hashtags": ["#home"], "lang": "en"}) for i in range(500)]
    records[7] = json.dumps({"id": "7", "title": "carved ivory figure"})
    scanned = scanner.scan(("\n".join(records) + "\n").encode(), 1, 0, LIMIT, True)
    assert scanned.ordinary == 1
    assert scanned.verdicts == 500
    assert scanned.posts_by_lang == {"en": 499, "unknown": 1}
