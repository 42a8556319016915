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

from tests_support import detector_for, service_detector
from wildwatch.detect import Detector
from wildwatch.detect.blocks import BlockScanner
from wildwatch.ingest.post import Post
from wildwatch.ingest.readers import ErrorRecord, decode_jsonl_record, record_too_large

LIMIT = 4096
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


# Text that matches, text that is disguised, text that is harmless, and text that is hostile.
_WORDS = ["ivory", "1v0ry", "i.v.o.r.y", "ｉｖｏｒｙ", "іvоrу", "象牙", "象 牙", "ngà voi",
          "nga voi", "rhino horn", "pangolin scales", "bear bile", "tortoiseshell", "#ivory",
          "#CarvedIvoryTusk", "#ant1qu3iv0ry", "tiger", "claw", "skin", "🐘", "🦏",
          "bangle", "for sale", "ivory white dress", "10cm", "2pcs", "hello", "ß", "ﬁ",
          "ﷺ", "\u200b", "\u3000", "a\nb", "tab\there", "quote\"s", "back\\slash", "<script>",
          "=cmd", "\x00", "\x7f", "\u2028", "😀", "\U0001f418\U0001f418", "#", "##x", "e\u0301"]

_text = st.lists(st.sampled_from(_WORDS) | st.text(max_size=8), max_size=6).map(" ".join)
_tag = st.sampled_from(["#ivory", "ivory", "#好物", "carvedivory", "#BearGallBladders",
                        "#thrift", "", " ivory", "a b", "#", "＃ivory"]) | st.text(max_size=6)
_scalar = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6))
_json = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=6)
_field_values = {
    "id": st.text(max_size=6) | st.integers(0, 99) | st.none(),
    "title": _text | st.none() | st.integers(),
    "text": _text | st.none(),
    "description": _text,
    "hashtags": st.lists(_tag, max_size=4) | st.none() | st.text(max_size=3),
    "price": st.floats(allow_nan=False) | st.integers(-5, 10**20) | st.none() | st.booleans()
    | st.text(max_size=3),
    "currency": st.text(max_size=3) | st.none(),
    "url": st.text(max_size=5) | st.integers(),
    "platform": st.sampled_from(["ebay", "wechat", ""]) | st.text(max_size=4) | st.none(),
    "lang": st.sampled_from(["en", "zh", "vi", ""]) | st.text(max_size=3) | st.none(),
    "created_at": st.text(max_size=5) | st.none(),
    "seller": st.none() | st.fixed_dictionaries(
        {}, optional={"id": st.text(max_size=4) | st.integers(), "name": _text,
                      "bio": _text | st.none(), "rating": _json}),
    "images": st.lists(st.text(max_size=4), max_size=2) | st.integers(),
    "extra": _json,
    "views": _json,
    "meta": _json,
    "ÿ": _json,
}


# Values of the right type, as most posts have them, mostly about nothing in the lexicon.
_plain = st.lists(st.sampled_from(["blue", "chair", "10cm", "2pcs", "ngà", "có", "好看", "ราคา",
                                   "\u3000", "😀", "a\nb", "<b>", "=1+1", "\\", "\""])
                  | st.text(max_size=8), max_size=6).map(" ".join)
_copyable = st.recursive(st.none() | st.booleans() | st.integers(-(10**17), 10**17)
                         | st.text(max_size=6),
                         lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(st.text(max_size=3), inner, max_size=1), max_leaves=5)
_good_values = {
    "id": st.text(min_size=1, max_size=6),
    "title": _plain | _text,
    "text": _plain,
    "description": _plain,
    "hashtags": st.lists(st.sampled_from(["#好物", "#thrift", "#home", "vintage", "＃x"])
                         | st.sampled_from(["#ivory", "ivory", "carvedivory", "#BearGallBladders"]),
                         max_size=4),
    "price": st.floats(-1e9, 1e9) | st.integers(0, 10**6),
    "currency": st.sampled_from(["USD", "VND"]),
    "url": st.text(max_size=5),
    "platform": st.sampled_from(["ebay", "wechat", ""]),
    "lang": st.sampled_from(["en", "zh", "vi", ""]),
    "created_at": st.text(max_size=5),
    "seller": st.fixed_dictionaries({}, optional={"id": st.text(max_size=4), "name": _plain,
                                                  "bio": _plain}),
    "images": st.lists(st.text(max_size=4), max_size=2),
    "views": _copyable,
    "meta": _copyable,
    "ÿ": _copyable,
}


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    fields = draw(st.lists(st.sampled_from(sorted(_field_values)), unique=True, max_size=9))
    if draw(st.integers(0, 9)):
        fields = ["id", *[f for f in fields if f != "id"]]
    good = draw(st.integers(0, 3))  # most records are well made
    if good:
        fields = [name for name in fields if name in _good_values]
    record = {name: draw(_good_values[name] if good and name in _good_values
                         else _field_values[name]) for name in fields}
    order = draw(st.randoms(use_true_random=False))
    items = list(record.items())
    order.shuffle(items)
    style = draw(st.sampled_from(["compact"] * 4 + ["spaced", "ascii", "dupe", "broken",
                                                    "bytes"]))
    if style == "compact":
        return json.dumps(dict(items), ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass")
    if style == "spaced":
        return (" " + json.dumps(dict(items), ensure_ascii=False, indent=None) + " \r").encode(
            "utf-8", "surrogatepass")
    if style == "ascii":
        return json.dumps(dict(items)).encode()
    if style == "dupe" and items:
        first = json.dumps(dict(items[:1]))[1:-1]
        return ("{" + first + "," + json.dumps(dict(items))[1:]).encode()
    if style == "broken":
        text = json.dumps(dict(items), ensure_ascii=False).encode("utf-8", "surrogatepass")
        cut = draw(st.integers(0, max(len(text) - 1, 0)))
        return text[:cut] + draw(st.sampled_from([b"", b"\xff", b"}", b",", b"\\", b"\x01"]))
    return draw(st.binary(max_size=30)).replace(b"\n", b" ")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), min_size=1, max_size=12))
def test_fast_path_writes_what_the_ordinary_path_writes(detector: Detector,
                                                         scanner: BlockScanner,
                                                         records: list[bytes]) -> None:
    assert_same(detector, scanner, b"\n".join(records) + b"\n")


EDGE_LINES = [
    b'{"id":"a","title":"ivory bangle","lang":"en"}',  # a match: the ordinary way
    b'{"id":"a","title":"blue bangle","lang":"en","views":12,"tags":[1,{"x":null}]}',
    b'{"id":"a","title":"x","views":1.5}',  # a float in extra: the ordinary way
    b'{"id":"a","title":"x","views":-0}',
    b'{"id":"a","title":"x","views":123456789012345678901}',
    b'{"id":"a","title":"x","meta":{"a":1,"b":2}}',
    b'{"id":"a","id":"b"}',  # duplicate key
    b'{"id":"a","x":1,"x":2}',
    b'{"id":"\\u0061"}',  # escaped id
    b'{"id":"a","text":"\\u0069vory"}',  # an escape in text that spells a term
    b'{"id":"a","text":"\\ud83d\\udc18"}',
    b'{"id":"a","text":"\\ud83d"}',  # a lone surrogate
    b'{"id":"a","text":"caf\xc3"}',  # truncated UTF-8
    b'{"id":"a","text":"\xed\xa0\x80"}',  # an encoded surrogate
    b'{"id":"a","text":"\xc0\xaf"}',  # overlong
    b'{"id":"a","hashtags":["\\u0023ivory"]}',
    b'{"id":"a","hashtags":["#CarvedIvoryTusk"]}',
    b'{"id":"a","hashtags":["carvedivorytusk"],"title":"nice"}',
    b'{"id":"a","title":"#ant1qu3iv0ry"}',
    b'{"id":"a","title":"\xef\xb7\xba\xef\xb7\xba\xef\xb7\xba"}',  # expands to 54 characters
    b'{"id":"a","price":true}',
    b'{"id":"a","price":1e999}',
    b'{"id":"a","seller":{"id":1}}',
    b'{"id":"a","seller":{"name":"x","extra":[1,2,{"a":"\\n"}]}}',
    b'{"id":"a","extra":{"k":1}}',
    b'{"id":""}',
    b'{"id":7}',
    b'{"title":"ivory"}',
    b'[1,2]',
    b'{"id":"a"} x',
    b'{"id":"a",}',
    b'\x0c{"id":"a"}',
    b'  \t ',
    b'{"id":"a","text":"' + b"x" * (LIMIT + 10) + b'"}',
]


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
