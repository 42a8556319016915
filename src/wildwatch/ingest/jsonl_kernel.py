"""JSONL posts read in compiled code, without a Python object per post.

Most posts mention no wildlife at all. For those, the only work worth doing is to check that the
record is a valid post, hand the text the detector reads to the normaliser, and write the "clear"
verdict; building a :class:`~wildwatch.ingest.post.Post`, a ``Verdict`` and their strings for each
of them is what made scanning slow. :func:`parse_block` does the reading part for a whole block of
lines in one compiled pass:

- it validates each line as JSON (grammar, UTF-8, escapes) and checks the types of the post's
  fields as :class:`~wildwatch.ingest.post.Post` would;
- it decodes title, text, description and hashtags into one array of code points, laid out
  exactly as the detector lays out a batch (``title\\ntext\\ndescription\\nhashtags\\n`` a post);
- it writes each post's clear verdict line, byte for byte what ``msgspec`` would encode for
  ``Verdict(id, 0.0, False, ...)``, copying ``id``, ``platform``, ``lang`` and the unknown fields
  (the verdict's ``extra``) from the input.

It is deliberately conservative: a line it is not sure about (invalid, unusual, or a value it
could not copy byte-exact: an escape in a copied string, a float or a nested object with several
keys in ``extra``, a duplicate key) is marked :data:`SLOW` and goes the ordinary way, where
``msgspec`` decodes it and the error, if any, is explained. So the fast path never decides
anything the ordinary path would decide differently; the tests hold it to that, byte for byte.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from wildwatch.ingest.block_format import BLANK, FAST, LONG_LANG, SLOW, TOO_LARGE
from wildwatch.text.tables import EXPANSION as _EXPANSION

# The ids of block_format.KEYS the kernel treats apart.
_ID, _TITLE, _TEXT, _DESCRIPTION, _HASHTAGS, _PRICE = 0, 1, 2, 3, 4, 5
_PLATFORM, _LANG, _SELLER, _IMAGES, _EXTRA = 8, 9, 11, 12, 13

_QUOTE, _BACKSLASH, _COLON, _COMMA = 34, 92, 58, 44
_OPEN_OBJECT, _CLOSE_OBJECT, _OPEN_ARRAY, _CLOSE_ARRAY = 123, 125, 91, 93
_NEWLINE, _SPACE, _HASH = 10, 32, 35
_MAX_DEPTH = 64
_MAX_UNKNOWN_KEYS = 32
_MAX_COPIED_DIGITS = 18  # an integer msgspec re-encodes exactly as written
_MAX_PACKED_LANG = 7  # a lang of up to 7 bytes is counted by its bytes packed in an integer

# String flags returned by _string. _FULL: the output array is full (the caller gives up).
_ESCAPED, _SPACED, _EMPTY, _INVALID, _HASH_FIRST, _FULL = 1, 2, 4, 8, 16, 32 | 8


@njit(cache=True, nogil=True)
def split_lines(data: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.int64],
                                                      npt.NDArray[np.int64]]:
    """Start and end (without the newline) of every line in ``data``; a last line without a
    newline counts too."""
    n = data.shape[0]
    count = 0
    for i in range(n):
        if data[i] == _NEWLINE:
            count += 1
    if n and data[n - 1] != _NEWLINE:
        count += 1
    starts = np.empty(count, np.int64)
    ends = np.empty(count, np.int64)
    line = 0
    start = 0
    for i in range(n):
        if data[i] == _NEWLINE:
            starts[line] = start
            ends[line] = i
            line += 1
            start = i + 1
    if line < count:
        starts[line] = start
        ends[line] = n
    return starts, ends


@njit(cache=True, nogil=True, inline="always")
def _skip_space(data: npt.NDArray[np.uint8], p: int, end: int) -> int:
    while p < end:
        b = data[p]
        if b == _SPACE or b == 9 or b == 13:
            p += 1
        else:
            break
    return p


@njit(cache=True, nogil=True, inline="always")
def _is_space(c: int) -> bool:
    """Python's ``str.isspace`` (what ``\\s`` matches)."""
    if c <= 32:
        return c == 32 or 9 <= c <= 13 or 28 <= c <= 31
    if c < 0x85:
        return False
    return (c == 0x85 or c == 0xA0 or c == 0x1680 or 0x2000 <= c <= 0x200A or c == 0x2028
            or c == 0x2029 or c == 0x202F or c == 0x205F or c == 0x3000)


@njit(cache=True, nogil=True)
def _hex4(data: npt.NDArray[np.uint8], p: int, end: int) -> int:
    """The value of four hex digits at ``p``, or -1."""
    if p + 4 > end:
        return -1
    value = 0
    for j in range(p, p + 4):
        b = data[j]
        if 48 <= b <= 57:
            digit = b - 48
        elif 97 <= b <= 102:
            digit = b - 87
        elif 65 <= b <= 70:
            digit = b - 55
        else:
            return -1
        value = value * 16 + digit
    return value


@njit(cache=True, nogil=True)
def _escape(data: npt.NDArray[np.uint8], p: int, end: int) -> tuple[int, int]:
    """The character of the escape whose backslash is at ``p`` and the position after it;
    -2 when it is not a valid JSON escape (or is a lone surrogate)."""
    if p + 1 >= end:
        return -2, p
    e = int(data[p + 1])
    if e == 110:
        return 10, p + 2
    if e == 116:
        return 9, p + 2
    if e == 114:
        return 13, p + 2
    if e == 98:
        return 8, p + 2
    if e == 102:
        return 12, p + 2
    if e == _QUOTE or e == _BACKSLASH or e == 47:
        return e, p + 2
    if e != 117:
        return -2, p
    c = _hex4(data, p + 2, end)
    if c < 0 or 0xDC00 <= c <= 0xDFFF:
        return -2, p  # not hex, or a lone low surrogate
    if c < 0xD800 or c > 0xDBFF:
        return c, p + 6
    if p + 12 > end or data[p + 6] != _BACKSLASH or data[p + 7] != 117:
        return -2, p
    low = _hex4(data, p + 8, end)
    if low < 0xDC00 or low > 0xDFFF:
        return -2, p
    return 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00), p + 12


# The two string readers decode UTF-8 in line, as Python's strict decoder reads it (no overlong
# forms, no encoded surrogates, nothing above U+10FFFF): a helper returning (character,
# position) measured several times slower per character.


@njit(cache=True, nogil=True)
def _skip_string(data: npt.NDArray[np.uint8], p: int, end: int) -> tuple[int, int]:
    """Validate the JSON string whose quote is at ``p``: the position after the closing
    quote, and flags (_INVALID when it is not a valid JSON string of valid UTF-8)."""
    p += 1
    flags = _EMPTY if p < end and data[p] == _QUOTE else 0
    while p < end:
        b = data[p]
        if b < 0x80:
            if b == _QUOTE:
                return p + 1, flags
            if b == _BACKSLASH:
                flags |= _ESCAPED
                c, p = _escape(data, p, end)
                if c < 0:
                    return p, _INVALID
            elif b < 0x20:
                return p, _INVALID  # raw control characters are not allowed in JSON strings
            else:
                p += 1
        elif b < 0xC2:
            return p, _INVALID
        elif b < 0xE0:
            if p + 1 >= end or (data[p + 1] & 0xC0) != 0x80:
                return p, _INVALID
            p += 2
        elif b < 0xF0:
            if p + 2 >= end:
                return p, _INVALID
            c1 = data[p + 1]
            if ((c1 & 0xC0) != 0x80 or (data[p + 2] & 0xC0) != 0x80
                    or (b == 0xE0 and c1 < 0xA0) or (b == 0xED and c1 >= 0xA0)):
                return p, _INVALID
            p += 3
        else:
            if b > 0xF4 or p + 3 >= end:
                return p, _INVALID
            c1 = data[p + 1]
            if ((c1 & 0xC0) != 0x80 or (data[p + 2] & 0xC0) != 0x80
                    or (data[p + 3] & 0xC0) != 0x80 or (b == 0xF0 and c1 < 0x90)
                    or (b == 0xF4 and c1 >= 0x90)):
                return p, _INVALID
            p += 4
    return p, _INVALID


@njit(cache=True, nogil=True)
def _string(data: npt.NDArray[np.uint8], p: int, end: int, out: npt.NDArray[np.uint32], k: int,
            fold: npt.NDArray[np.uint32], expansion_offsets: npt.NDArray[np.int64],
            expansion_points: npt.NDArray[np.uint32]) -> tuple[int, int, int]:
    """:func:`_skip_string`, writing the string's code points, each mapped through the
    normaliser's ``fold`` table, to ``out`` from ``k`` (as far as ``out`` holds; past that,
    the _FULL flag). Returns the position after the closing quote, the new ``k`` and flags
    (also _SPACED if it holds whitespace, _HASH_FIRST if it starts with '#')."""
    p += 1
    begin = p
    flags = _EMPTY if p < end and data[p] == _QUOTE else 0
    capacity = out.shape[0]
    while p < end:
        b = data[p]
        if b < 0x80:
            if b == _QUOTE:
                return p + 1, k, flags
            if b == _BACKSLASH:
                flags |= _ESCAPED
                at = p
                c, p = _escape(data, p, end)
                if c < 0:
                    return p, k, _INVALID
            elif b < 0x20:
                return p, k, _INVALID
            else:
                at = p
                c = int(b)
                p += 1
        elif b < 0xC2:
            return p, k, _INVALID
        elif b < 0xE0:
            if p + 1 >= end or (data[p + 1] & 0xC0) != 0x80:
                return p, k, _INVALID
            at = p
            c = ((int(b) & 0x1F) << 6) | (int(data[p + 1]) & 0x3F)
            p += 2
        elif b < 0xF0:
            if p + 2 >= end:
                return p, k, _INVALID
            c1 = data[p + 1]
            c2 = data[p + 2]
            if ((c1 & 0xC0) != 0x80 or (c2 & 0xC0) != 0x80 or (b == 0xE0 and c1 < 0xA0)
                    or (b == 0xED and c1 >= 0xA0)):
                return p, k, _INVALID
            at = p
            c = ((int(b) & 0x0F) << 12) | ((int(c1) & 0x3F) << 6) | (int(c2) & 0x3F)
            p += 3
        else:
            if b > 0xF4 or p + 3 >= end:
                return p, k, _INVALID
            c1 = data[p + 1]
            c2 = data[p + 2]
            c3 = data[p + 3]
            if ((c1 & 0xC0) != 0x80 or (c2 & 0xC0) != 0x80 or (c3 & 0xC0) != 0x80
                    or (b == 0xF0 and c1 < 0x90) or (b == 0xF4 and c1 >= 0x90)):
                return p, k, _INVALID
            at = p
            c = (((int(b) & 0x07) << 18) | ((int(c1) & 0x3F) << 12) | ((int(c2) & 0x3F) << 6)
                 | (int(c3) & 0x3F))
            p += 4
        if at == begin and c == _HASH:
            flags |= _HASH_FIRST
        if _is_space(c):
            flags |= _SPACED
        folded = fold[c]
        if folded & _EXPANSION:
            index = folded & ~_EXPANSION
            first = expansion_offsets[index]
            stop = expansion_offsets[index + 1]
            if k + stop - first > capacity:
                return p, k, _FULL
            for j in range(first, stop):
                out[k] = expansion_points[j]
                k += 1
        elif folded:
            if k == capacity:
                return p, k, _FULL
            out[k] = folded
            k += 1
    return p, k, _INVALID


@njit(cache=True, nogil=True)
def _number(data: npt.NDArray[np.uint8], p: int, end: int) -> tuple[int, bool, bool]:
    """Read a JSON number at ``p``: the position after it, whether it is valid, and whether it
    can be copied as msgspec would write it (an integer of at most 18 digits, not -0)."""
    start = p
    if data[p] == 45:
        p += 1
    if p >= end:
        return p, False, False
    first = p
    if data[p] == 48:
        p += 1
    elif 49 <= data[p] <= 57:
        while p < end and 48 <= data[p] <= 57:
            p += 1
    else:
        return p, False, False
    digits = p - first
    exact = digits <= _MAX_COPIED_DIGITS and not (data[start] == 45 and data[first] == 48)
    if p < end and data[p] == 46:
        exact = False
        p += 1
        if p >= end or not 48 <= data[p] <= 57:
            return p, False, False
        while p < end and 48 <= data[p] <= 57:
            p += 1
    if p < end and (data[p] == 101 or data[p] == 69):
        exact = False
        p += 1
        if p < end and (data[p] == 43 or data[p] == 45):
            p += 1
        if p >= end or not 48 <= data[p] <= 57:
            return p, False, False
        while p < end and 48 <= data[p] <= 57:
            p += 1
    return p, True, exact


@njit(cache=True, nogil=True)
def _literal(data: npt.NDArray[np.uint8], p: int, end: int) -> int:
    """The position after ``true``, ``false`` or ``null`` at ``p``, or -1."""
    b = data[p]
    if b == 116 and p + 4 <= end and data[p + 1] == 114 and data[p + 2] == 117 \
            and data[p + 3] == 101:
        return p + 4
    if b == 102 and p + 5 <= end and data[p + 1] == 97 and data[p + 2] == 108 \
            and data[p + 3] == 115 and data[p + 4] == 101:
        return p + 5
    if b == 110 and p + 4 <= end and data[p + 1] == 117 and data[p + 2] == 108 \
            and data[p + 3] == 108:
        return p + 4
    return -1


@njit(cache=True, nogil=True)
def _copy(data: npt.NDArray[np.uint8], start: int, stop: int, out: npt.NDArray[np.uint8],
          k: int) -> int:
    for j in range(start, stop):
        out[k] = data[j]
        k += 1
    return k


@njit(cache=True, nogil=True)
def _value(data: npt.NDArray[np.uint8], p: int, end: int, out: npt.NDArray[np.uint8], k: int,
           copy: bool, stack: npt.NDArray[np.uint8]) -> tuple[int, int, bool]:
    """Validate the JSON value at ``p``. With ``copy``, also write it to ``out`` from ``k``
    without whitespace, byte for byte as msgspec would re-encode it, and fail on what would
    differ: escapes, non-integers, and objects of more than one key (duplicate keys collapse).
    Returns the position after the value, the new ``k`` and success."""
    depth = 0
    while True:
        # A value starts here.
        p = _skip_space(data, p, end)
        if p >= end:
            return p, k, False
        b = data[p]
        complete = True
        if b == _OPEN_OBJECT or b == _OPEN_ARRAY:
            if depth == stack.shape[0]:
                return p, k, False
            close = _CLOSE_OBJECT if b == _OPEN_OBJECT else _CLOSE_ARRAY
            if copy:
                out[k] = b
                k += 1
            p = _skip_space(data, p + 1, end)
            if p >= end:
                return p, k, False
            if data[p] == close:
                if copy:
                    out[k] = close
                    k += 1
                p += 1
            else:
                stack[depth] = b
                depth += 1
                complete = False
                if b == _OPEN_OBJECT:
                    p, k, ok = _key(data, p, end, out, k, copy)
                    if not ok:
                        return p, k, False
        elif b == _QUOTE:
            start = p
            p, flags = _skip_string(data, p, end)
            if flags & _INVALID or (copy and flags & _ESCAPED):
                return p, k, False
            if copy:
                k = _copy(data, start, p, out, k)
        elif b == 45 or 48 <= b <= 57:
            start = p
            p, valid, exact = _number(data, p, end)
            if not valid or (copy and not exact):
                return p, k, False
            if copy:
                k = _copy(data, start, p, out, k)
        else:
            start = p
            p = _literal(data, p, end)
            if p < 0:
                return start, k, False
            if copy:
                k = _copy(data, start, p, out, k)
        if not complete:
            continue
        # After a value: close containers, or go on to the next member.
        while True:
            if depth == 0:
                return p, k, True
            p = _skip_space(data, p, end)
            if p >= end:
                return p, k, False
            b = data[p]
            top = stack[depth - 1]
            if b == _COMMA:
                if copy:
                    if top == _OPEN_OBJECT:
                        return p, k, False  # a second key: see the docstring
                    out[k] = _COMMA
                    k += 1
                p += 1
                if top == _OPEN_OBJECT:
                    p, k, ok = _key(data, p, end, out, k, copy)
                    if not ok:
                        return p, k, False
                break
            if b == (_CLOSE_OBJECT if top == _OPEN_OBJECT else _CLOSE_ARRAY):
                if copy:
                    out[k] = b
                    k += 1
                p += 1
                depth -= 1
                continue
            return p, k, False


@njit(cache=True, nogil=True)
def _key(data: npt.NDArray[np.uint8], p: int, end: int, out: npt.NDArray[np.uint8], k: int,
         copy: bool) -> tuple[int, int, bool]:
    """An object key and its colon; the value is read by the caller."""
    p = _skip_space(data, p, end)
    if p >= end or data[p] != _QUOTE:
        return p, k, False
    start = p
    p, flags = _skip_string(data, p, end)
    if flags & _INVALID or (copy and flags & _ESCAPED):
        return p, k, False
    if copy:
        k = _copy(data, start, p, out, k)
    p = _skip_space(data, p, end)
    if p >= end or data[p] != _COLON:
        return p, k, False
    if copy:
        out[k] = _COLON
        k += 1
    return p + 1, k, True


@njit(cache=True, nogil=True)
def _which(data: npt.NDArray[np.uint8], start: int, stop: int, names: npt.NDArray[np.uint8],
           offsets: npt.NDArray[np.int64]) -> int:
    """The index of the key ``data[start:stop]`` among ``names``, or -1."""
    size = stop - start
    for index in range(offsets.shape[0] - 1):
        first = offsets[index]
        if offsets[index + 1] - first != size:
            continue
        same = True
        for j in range(size):
            if data[start + j] != names[first + j]:
                same = False
                break
        if same:
            return index
    return -1


@njit(cache=True, nogil=True)
def _same_bytes(data: npt.NDArray[np.uint8], a: int, a_end: int, b: int, b_end: int) -> bool:
    if a_end - a != b_end - b:
        return False
    for j in range(a_end - a):
        if data[a + j] != data[b + j]:
            return False
    return True


@njit(cache=True, nogil=True)
def _skip_text_or_null(data: npt.NDArray[np.uint8], p: int, end: int) -> tuple[int, int]:
    """A string or null: the position after it and the string flags (_EMPTY for null;
    _INVALID for anything else)."""
    if data[p] == _QUOTE:
        return _skip_string(data, p, end)
    after = _literal(data, p, end)
    if after >= 0 and data[p] == 110:
        return after, _EMPTY
    return p, _INVALID


@njit(cache=True, nogil=True)
def _seller(data: npt.NDArray[np.uint8], p: int, end: int, stack: npt.NDArray[np.uint8],
            scratch: npt.NDArray[np.uint8], names: npt.NDArray[np.uint8],
            offsets: npt.NDArray[np.int64]) -> tuple[int, bool]:
    """``seller``: null, or an object whose id, name and bio are strings or null (other keys,
    which Post's Seller ignores, may hold any JSON)."""
    after = _literal(data, p, end)
    if after >= 0 and data[p] == 110:
        return after, True
    if data[p] != _OPEN_OBJECT:
        return p, False
    p = _skip_space(data, p + 1, end)
    if p < end and data[p] == _CLOSE_OBJECT:
        return p + 1, True
    seen = 0
    while True:
        p = _skip_space(data, p, end)
        if p >= end or data[p] != _QUOTE:
            return p, False
        start = p
        p, flags = _skip_string(data, p, end)
        if flags & (_INVALID | _ESCAPED):
            return p, False
        which = _which(data, start + 1, p - 1, names, offsets)
        p = _skip_space(data, p, end)
        if p >= end or data[p] != _COLON:
            return p, False
        p = _skip_space(data, p + 1, end)
        if p >= end:
            return p, False
        if which >= 0:
            if seen & (1 << which):
                return p, False
            seen |= 1 << which
            p, flags = _skip_text_or_null(data, p, end)
            if flags & _INVALID:
                return p, False
        else:
            p, _, ok = _value(data, p, end, scratch, 0, False, stack)
            if not ok:
                return p, False
        p = _skip_space(data, p, end)
        if p >= end:
            return p, False
        if data[p] == _CLOSE_OBJECT:
            return p + 1, True
        if data[p] != _COMMA:
            return p, False
        p += 1


@njit(cache=True, nogil=True)
def parse_block(data: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64],
                ends: npt.NDArray[np.int64], limit: int, names: npt.NDArray[np.uint8],
                name_offsets: npt.NDArray[np.int64], seller_names: npt.NDArray[np.uint8],
                seller_offsets: npt.NDArray[np.int64], head: npt.NDArray[np.uint8],
                middle: npt.NDArray[np.uint8], before_lang: npt.NDArray[np.uint8],
                before_extra: npt.NDArray[np.uint8], write: bool, fold: npt.NDArray[np.uint32],
                expansion_offsets: npt.NDArray[np.int64],
                expansion_points: npt.NDArray[np.uint32], char_class: npt.NDArray[np.uint8],
                ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64], npt.NDArray[np.int64],
                           npt.NDArray[np.uint32], npt.NDArray[np.uint8], npt.NDArray[np.uint8],
                           npt.NDArray[np.int64]]:
    """Read every line of ``data`` (see the module docstring).

    The text is folded character by character as it is decoded, with the normaliser's tables
    (``fold``, its expansions, and ``char_class``; see :mod:`wildwatch.text.tables`): what
    :func:`wildwatch.text.kernels.fold_points` would do to it, without a second pass.

    Returns, per line, its status, the span of its ``lang`` string without quotes (-1 when
    absent or null) and a key to count langs by without making strings (0 for none or "",
    the bytes packed in an integer with the length in the top byte, or :data:`LONG_LANG`);
    the fast lines' folded code points (four newline-ended segments a post,
    in line order) and their character classes; and, when ``write``, the clear verdict lines of
    the fast posts with, per line, where its output starts and ends (``output_ends[i]`` and
    ``output_ends[i + 1]``; a line that is not fast writes nothing).
    """
    n = starts.shape[0]
    status = np.full(n, SLOW, np.int8)
    lang_spans = np.full(2 * n, -1, np.int64)
    lang_keys = np.zeros(n, np.int64)
    output_ends = np.zeros(n + 1, np.int64)
    longest = 0
    for i in range(n):
        if ends[i] - starts[i] > longest:
            longest = ends[i] - starts[i]
    points = np.empty(data.shape[0] + 4 * n + 16, np.uint32)
    classes = np.empty(points.shape[0], np.uint8)
    fixed = head.shape[0] + middle.shape[0] + before_lang.shape[0] + before_extra.shape[0]
    output = np.empty(data.shape[0] + n * (fixed + 16) + 16 if write else 0, np.uint8)
    tmp = np.empty(longest + 16, np.uint32)
    extra = np.empty(longest + 16, np.uint8)
    stack = np.empty(_MAX_DEPTH, np.uint8)
    unknown = np.empty(2 * _MAX_UNKNOWN_KEYS, np.int64)
    segment = np.empty(8, np.int64)  # start and length in tmp of title, text, description, tags
    k = 0  # code points written
    o = 0  # output bytes written
    for i in range(n):
        output_ends[i] = o
        start = starts[i]
        end = ends[i]
        if end - start > limit:
            status[i] = TOO_LARGE
            continue
        blank = True
        for j in range(start, end):
            b = data[j]
            if not (b == _SPACE or 9 <= b <= 13):
                blank = False
                break
        if blank:
            status[i] = BLANK
            continue
        p = _skip_space(data, start, end)
        if p >= end or data[p] != _OPEN_OBJECT:
            continue
        p = _skip_space(data, p + 1, end)
        seen = 0
        t = 0
        e = 0  # extra bytes written
        unknowns = 0
        id_start = id_end = platform_start = platform_end = lang_start = lang_end = -1
        for j in range(8):
            segment[j] = 0
        ok = p < end
        if ok and data[p] == _CLOSE_OBJECT:
            p += 1
        else:
            while ok:
                p = _skip_space(data, p, end)
                if p >= end or data[p] != _QUOTE:
                    ok = False
                    break
                key_start = p
                p, flags = _skip_string(data, p, end)
                if flags & (_INVALID | _ESCAPED):
                    ok = False
                    break
                key_end = p
                which = _which(data, key_start + 1, key_end - 1, names, name_offsets)
                p = _skip_space(data, p, end)
                if p >= end or data[p] != _COLON:
                    ok = False
                    break
                p = _skip_space(data, p + 1, end)
                if p >= end or which == _EXTRA:
                    ok = False
                    break
                if which >= 0:
                    if seen & (1 << which):
                        ok = False  # a duplicate key: let msgspec decide
                        break
                    seen |= 1 << which
                if which == _ID:
                    if data[p] != _QUOTE:
                        ok = False
                        break
                    id_start = p
                    p, flags = _skip_string(data, p, end)
                    id_end = p
                    if flags & (_INVALID | _ESCAPED | _EMPTY):
                        ok = False
                        break
                elif _TITLE <= which <= _DESCRIPTION:
                    first = t
                    if data[p] == _QUOTE:
                        p, t, flags = _string(data, p, end, tmp, t, fold,
                                              expansion_offsets, expansion_points)
                    else:
                        p, flags = _skip_text_or_null(data, p, end)
                    if flags & _INVALID:
                        ok = False
                        break
                    segment[2 * (which - _TITLE)] = first
                    segment[2 * (which - _TITLE) + 1] = t - first
                elif which == _HASHTAGS or which == _IMAGES:
                    tags = which == _HASHTAGS
                    if data[p] != _OPEN_ARRAY:
                        ok = False
                        break
                    first = t
                    p = _skip_space(data, p + 1, end)
                    if p < end and data[p] == _CLOSE_ARRAY:
                        p += 1
                    else:
                        while True:
                            p = _skip_space(data, p, end)
                            if p >= end or data[p] != _QUOTE:
                                ok = False
                                break
                            if tags:
                                if t + 2 > tmp.shape[0]:
                                    ok = False
                                    break
                                if t > first:
                                    tmp[t] = _SPACE
                                    t += 1
                                at = t
                                p, t, flags = _string(data, p, end, tmp, at + 1, fold,
                                                      expansion_offsets, expansion_points)
                                # Tags with whitespace, or empty, are joined differently
                                # depending on the rest of the batch: the ordinary way.
                                if flags & (_INVALID | _SPACED | _EMPTY):
                                    ok = False
                                    break
                                if flags & _HASH_FIRST:  # its '#' folded to itself: shift
                                    for j in range(at + 1, t):
                                        tmp[j - 1] = tmp[j]
                                    t -= 1
                                else:  # the '#' the detector puts before a bare tag
                                    tmp[at] = _HASH
                            else:
                                p, flags = _skip_string(data, p, end)
                                if flags & _INVALID:
                                    ok = False
                                    break
                            p = _skip_space(data, p, end)
                            if p >= end:
                                ok = False
                                break
                            if data[p] == _CLOSE_ARRAY:
                                p += 1
                                break
                            if data[p] != _COMMA:
                                ok = False
                                break
                            p += 1
                        if not ok:
                            break
                    if tags:
                        segment[6] = first
                        segment[7] = t - first
                elif which == _PRICE:
                    after = _literal(data, p, end)
                    if after >= 0 and data[p] == 110:
                        p = after
                    elif data[p] == 45 or 48 <= data[p] <= 57:
                        number_start = p
                        p, valid, _ = _number(data, p, end)
                        if not valid or p - number_start > 24:
                            ok = False
                            break
                        for j in range(number_start, p):
                            if data[j] == 101 or data[j] == 69:
                                ok = False  # an exponent may be out of range: msgspec decides
                        if not ok:
                            break
                    else:
                        ok = False
                        break
                elif which == _SELLER:
                    p, ok = _seller(data, p, end, stack, extra, seller_names, seller_offsets)
                elif which >= 0:  # currency, url, platform, lang, created_at
                    value_start = p
                    p, flags = _skip_text_or_null(data, p, end)
                    if flags & _INVALID:
                        ok = False
                        break
                    copied = data[value_start] == _QUOTE
                    if which == _PLATFORM or which == _LANG:
                        if flags & _ESCAPED:
                            ok = False
                            break
                        if copied and which == _PLATFORM:
                            platform_start, platform_end = value_start, p
                        elif copied:
                            lang_start, lang_end = value_start, p
                else:  # unknown: kept in the verdict's extra, in order
                    if unknowns == _MAX_UNKNOWN_KEYS:
                        ok = False
                        break
                    for j in range(unknowns):
                        if _same_bytes(data, unknown[2 * j], unknown[2 * j + 1], key_start,
                                       key_end):
                            ok = False
                            break
                    if not ok:
                        break
                    unknown[2 * unknowns] = key_start
                    unknown[2 * unknowns + 1] = key_end
                    unknowns += 1
                    if e:
                        extra[e] = _COMMA
                        e += 1
                    e = _copy(data, key_start, key_end, extra, e)
                    extra[e] = _COLON
                    e += 1
                    p, e, ok = _value(data, p, end, extra, e, True, stack)
                if not ok:
                    break
                p = _skip_space(data, p, end)
                if p >= end:
                    ok = False
                    break
                if data[p] == _CLOSE_OBJECT:
                    p += 1
                    break
                if data[p] != _COMMA:
                    ok = False
                    break
                p += 1
        if not ok or id_start < 0 or _skip_space(data, p, end) != end:
            continue
        if k + t + 4 > points.shape[0]:  # folding made it longer than its bytes (rare)
            continue
        status[i] = FAST
        if lang_start >= 0:
            lang_spans[2 * i] = lang_start + 1
            lang_spans[2 * i + 1] = lang_end - 1
            size = lang_end - lang_start - 2
            if size > _MAX_PACKED_LANG:
                lang_keys[i] = LONG_LANG
            elif size:
                key = size << 56
                for j in range(size):
                    key |= int(data[lang_start + 1 + j]) << (8 * j)
                lang_keys[i] = key
        for s in range(4):
            first = segment[2 * s]
            for j in range(first, first + segment[2 * s + 1]):
                points[k] = tmp[j]
                classes[k] = char_class[tmp[j]]
                k += 1
            points[k] = _NEWLINE
            classes[k] = char_class[_NEWLINE]
            k += 1
        if write:
            o = _copy_array(head, output, o)
            o = _copy(data, id_start, id_end, output, o)
            o = _copy_array(middle, output, o)
            o = _token_or_null(data, platform_start, platform_end, output, o)
            o = _copy_array(before_lang, output, o)
            o = _token_or_null(data, lang_start, lang_end, output, o)
            o = _copy_array(before_extra, output, o)
            for j in range(e):
                output[o] = extra[j]
                o += 1
            output[o] = _CLOSE_OBJECT
            output[o + 1] = _CLOSE_OBJECT
            output[o + 2] = _NEWLINE
            o += 3
    output_ends[n] = o
    return status, lang_spans, lang_keys, points[:k], classes[:k], output[:o], output_ends


@njit(cache=True, nogil=True)
def _copy_array(source: npt.NDArray[np.uint8], out: npt.NDArray[np.uint8], k: int) -> int:
    for j in range(source.shape[0]):
        out[k] = source[j]
        k += 1
    return k


@njit(cache=True, nogil=True)
def _token_or_null(data: npt.NDArray[np.uint8], start: int, stop: int,
                   out: npt.NDArray[np.uint8], k: int) -> int:
    if start < 0:
        out[k] = 110
        out[k + 1] = 117
        out[k + 2] = 108
        out[k + 3] = 108
        return k + 4
    return _copy(data, start, stop, out, k)
