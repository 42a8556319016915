"""JSONL lines as strangers write them, for the tests of everything that reads posts: valid
posts about nothing, posts with terms (plain and disguised), wrong types, broken JSON and bytes
that are not UTF-8."""

from __future__ import annotations

import json

from hypothesis import strategies as st

LIMIT = 4096
"""The record size limit the tests scan with (EDGE_LINES holds a line over it)."""

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
