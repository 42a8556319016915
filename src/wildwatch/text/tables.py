"""Per-code-point tables behind the normaliser, built once per process.

The normaliser works on whole batches of posts as arrays of code points, so every
character-level rule is a table lookup: ``fold`` maps each code point to the one it becomes
(0 means "drop it"), and ``char_class`` says what kind of character it is. The few characters
that become several (``ß`` -> ``ss``, ``ﬁ`` -> ``fi``, ``…`` -> ``...``) map to
``EXPANSION | i``, and expansion ``i`` is ``expansion_points[expansion_offsets[i]:
expansion_offsets[i + 1]]``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

# Character classes, as bit flags in CHAR_CLASS.
LETTER = 1
DIGIT = 2
SEPARATOR = 4
"""Characters sellers put inside a word to break it up: space, dot, dash, underscore, ..."""
HAN = 8
ASCII_LOWER = 16
EXPANDS = 32
LEETISH = 64
"""Digits and symbols that leetspeak uses for letters (see :data:`LEET`)."""
"""Characters that become several (``ß`` -> ``ss``): rewritten before the table lookup."""
WORD = LETTER | DIGIT

# Blocks of combining marks that only decorate Latin, Greek and Cyrillic letters (accents);
# marks of other scripts (Thai vowels, Japanese dakuten) carry meaning and are kept.
_ACCENT_BLOCKS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
                  (0xFE20, 0xFE2F))

# Cyrillic and Greek letters that look like Latin ones, after case folding (Unicode TR39's
# confusables, the subset sellers use to dodge keyword filters).
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ı": "i",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w",
}

# Characters that split a word without ending it ("i.v.o.r.y", "i-v-o-r-y", "i v o r y").
_SEPARATORS = " .-_*·•~+|/\\,:;'\"`^=‧・"

#: Leetspeak: digits and symbols that stand for letters inside a word.
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}

# Han ideographs, and the Japanese kana written among them: scripts without spaces between words,
# so a space or a dot between two of their characters is an obfuscation ("象 牙", "ク マ").
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
_KANA_RANGES = ((0x3041, 0x3096), (0x30A1, 0x30FA), (0x31F0, 0x31FF))
_LAST = 0x30000
#: Marks a ``fold`` entry as the index of a several-character expansion.
EXPANSION = 0x80000000  # above this plane nothing folds; the tables still cover all of Unicode


@dataclass(frozen=True)
class Tables:
    fold: npt.NDArray[np.uint32]
    char_class: npt.NDArray[np.uint8]
    expansion_offsets: npt.NDArray[np.int64]
    expansion_points: npt.NDArray[np.uint32]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        ch for ch in decomposed
        if not any(lo <= ord(ch) <= hi for lo, hi in _ACCENT_BLOCKS)
    )
    return unicodedata.normalize("NFKC", kept)


#: Dashes and underscores join words ("rhino-horn", "ivory_tusk"): read them as spaces.
_WORD_JOINERS = "-_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\uff3f"


def fold_char(ch: str) -> str:
    """What one character becomes: compatibility form, case fold, accents off, look-alikes."""
    category = unicodedata.category(ch)
    if ch in "\t\n\r\x0b\x0c" or category == "Zs" or ch in "\u2028\u2029\x85":
        return " "
    if ch in _WORD_JOINERS:
        return " "
    if category in ("Cc", "Cf", "Cs", "Co", "Cn") or 0xFE00 <= ord(ch) <= 0xFE0F:
        return ""
    if 0xE0100 <= ord(ch) <= 0xE01EF:
        return ""
    folded = _strip_accents(unicodedata.normalize("NFKC", ch).casefold())
    folded = _strip_accents(folded.casefold())
    folded = "".join(_HOMOGLYPHS.get(c, c) for c in folded)
    if folded == "đ":
        return "d"
    return folded


@functools.cache
def tables() -> Tables:
    """The tables: from the on-disk cache when it is there, else built (about a second)."""
    cache = _cache_file()
    try:
        with np.load(cache, allow_pickle=False) as saved:
            loaded = Tables(saved["fold"], saved["char_class"], saved["expansion_offsets"],
                            saved["expansion_points"])
    except (OSError, KeyError, ValueError):
        loaded = build_tables()
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(partial, fold=loaded.fold, char_class=loaded.char_class,
                     expansion_offsets=loaded.expansion_offsets,
                     expansion_points=loaded.expansion_points)
            os.replace(partial, cache)
        except OSError:
            pass  # a read-only home only costs the build time at each start
    loaded.fold.setflags(write=False)
    loaded.char_class.setflags(write=False)
    return loaded


def _cache_file() -> Path:
    """A cache path that changes with anything the tables depend on."""
    import opencc

    key = hashlib.sha256(
        Path(__file__).read_bytes()
        + unicodedata.unidata_version.encode()
        + str(getattr(opencc, "__version__", "")).encode()
        + np.__version__.encode()
    ).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "wildwatch" / f"text-tables-{key}.npz"


def build_tables() -> Tables:
    """Build the tables from Unicode's data and OpenCC's Traditional-to-Simplified map."""
    fold = np.arange(0x110000, dtype=np.uint32)
    char_class = np.zeros(0x110000, dtype=np.uint8)
    expansions: dict[str, str] = {}
    han: list[str] = []
    for cp in range(_LAST):
        if 0x3400 <= cp <= 0x9FFF or 0x20000 <= cp < 0x2F800:
            continue  # unified ideographs fold to themselves; only Traditional forms change
        if 0xD800 <= cp <= 0xDFFF:
            fold[cp] = 0
            continue
        ch = chr(cp)
        out = fold_char(ch)
        if len(out) == 1:
            fold[cp] = ord(out)
        elif not out:
            fold[cp] = 0
        else:
            expansions[ch] = out
    for lo, hi in _HAN_RANGES:
        han.extend(chr(cp) for cp in range(lo, hi + 1))
    _fold_traditional(fold, han)
    for cp in range(_LAST):
        ch = chr(cp)
        if ch.isalpha():
            char_class[cp] |= LETTER
        elif ch.isdigit():
            char_class[cp] |= DIGIT
    for lo, hi in _HAN_RANGES + _KANA_RANGES:
        char_class[lo:hi + 1] |= HAN | LETTER
    for sep in _SEPARATORS:
        char_class[ord(sep)] |= SEPARATOR
    char_class[ord("a"):ord("z") + 1] |= ASCII_LOWER
    for ch in LEET:
        char_class[ord(ch)] |= LEETISH
    offsets = [0]
    expansion_points: list[int] = []
    for index, (ch, out) in enumerate(expansions.items()):
        fold[ord(ch)] = EXPANSION | index
        expansion_points.extend(ord(c) for c in out)
        offsets.append(len(expansion_points))
    # An expansion's characters fold like any other (e.g. to Simplified Chinese).
    points = np.array(expansion_points, dtype=np.uint32)
    points = np.where(fold[points] & EXPANSION, points, fold[points]).astype(np.uint32)
    return Tables(fold, char_class, np.array(offsets, dtype=np.int64), points)


def _fold_traditional(fold: npt.NDArray[np.uint32], han: list[str]) -> None:
    """Map each Traditional Chinese character to its Simplified form (OpenCC's t2s table)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    # One call for all characters; the newlines keep OpenCC's phrase rules from joining them.
    converted = converter.convert("\n".join(han)).split("\n")
    if len(converted) != len(han):  # pragma: no cover - OpenCC never merges across lines
        raise RuntimeError("OpenCC changed the number of characters")
    for original, simple in zip(han, converted, strict=True):
        if len(simple) == 1 and simple != original:
            fold[ord(original)] = fold[ord(simple)]
