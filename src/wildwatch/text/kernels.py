"""The normaliser's inner loops, compiled with Numba: one pass each over a batch's code points.

NumPy would need a dozen full-array passes for the same rules; these loops touch each character
once or twice, which is what lets the detector keep up with a firehose of posts. They are
compiled on first use and cached beside this file (or in ``NUMBA_CACHE_DIR``).
"""

from __future__ import annotations

import sys

import numpy as np
import numpy.typing as npt
from numba import njit

from wildwatch.text.tables import ASCII_LOWER, EXPANSION, HAN, LEETISH, LETTER, SEPARATOR, WORD


def _load_numba_array_maths() -> None:
    """Load Numba's array maths, which the first compiled call would load, without SciPy's
    linear algebra.

    To learn whether ``np.dot`` can be compiled, that module imports ``scipy.linalg``: 0.25 s
    of every start-up, for BLAS that no kernel of Wildwatch uses. With ``scipy.linalg`` hidden
    the import fails and Numba notes that it has no BLAS (a kernel using ``np.dot`` would then
    fail to compile, saying SciPy is required). SciPy stays importable as before.
    """
    if "numba.np.arraymath" in sys.modules or "scipy.linalg" in sys.modules:
        return
    sys.modules["scipy.linalg"] = None  # type: ignore[assignment]
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        del sys.modules["scipy.linalg"]


_load_numba_array_maths()

_NEWLINE = 10
_SPACE = 32


@njit(cache=True, nogil=True)
def fold_points(points: npt.NDArray[np.uint32], fold: npt.NDArray[np.uint32],
                expansion_offsets: npt.NDArray[np.int64],
                expansion_points: npt.NDArray[np.uint32], boundaries: npt.NDArray[np.int64],
                newline_joins: bool, char_class: npt.NDArray[np.uint8],
                track: bool) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64],
                                      npt.NDArray[np.uint8]]:
    """Map each code point through ``fold`` (see :mod:`wildwatch.text.tables`): drop those that
    map to 0, expand those that become several, and keep a newline at each of the (sorted)
    ``boundaries`` (at every newline, if ``newline_joins``). Returns the folded points, each
    one's input position if ``track`` (else an empty array), and each one's ``char_class``."""
    n = points.shape[0]
    capacity = n + 16
    out = np.empty(capacity, np.uint32)
    origin = np.empty(capacity if track else 0, np.int64)
    k = 0
    b = 0
    nb = boundaries.shape[0]
    for i in range(n):
        if (b < nb and boundaries[b] == i) or (newline_joins and points[i] == _NEWLINE):
            out[k] = _NEWLINE
            if track:
                origin[k] = i
            k += 1
            b += 1
            continue
        c = fold[points[i]]
        if c == 0:
            continue
        if c & EXPANSION:
            index = c & ~EXPANSION
            start = expansion_offsets[index]
            stop = expansion_offsets[index + 1]
            if k + (stop - start) + (n - i) > capacity:
                capacity = 2 * capacity + (stop - start)
                grown = np.empty(capacity, np.uint32)
                grown[:k] = out[:k]
                out = grown
                if track:
                    grown_origin = np.empty(capacity, np.int64)
                    grown_origin[:k] = origin[:k]
                    origin = grown_origin
            for j in range(start, stop):
                out[k] = expansion_points[j]
                if track:
                    origin[k] = i
                k += 1
            continue
        out[k] = c
        if track:
            origin[k] = i
        k += 1
    classes = np.empty(k, np.uint8)
    for j in range(k):
        classes[j] = char_class[out[j]]
    return out[:k], origin[:k] if track else origin, classes


@njit(cache=True, nogil=True)
def squeeze(points: npt.NDArray[np.uint32], origin: npt.NDArray[np.int64],
            cls: npt.NDArray[np.uint8], max_run: int,
            min_letters: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64],
                                       npt.NDArray[np.int64]]:
    """Drop what splits a word and what repeats a letter; find leetspeak suspects.

    ``cls`` holds each point's character class (from :func:`fold_points`).

    - separators (at most ``max_run`` in a row) in a chain of at least ``min_letters`` single
      letters: ``i.v.o.r.y`` -> ``ivory``;
    - separators (at most ``max_run``) between two Han characters: ``象 牙`` -> ``象牙``;
    - a lower-case ASCII letter equal to the one before it: ``ivoryyy`` -> ``ivory``;
    - a space after a space.

    Returns the kept points, their input positions (if ``origin`` is given; else it is empty and
    stays so), and the positions (in the kept points) of leetspeak characters (digits, '@', '$')
    that touch a letter.
    """
    n = points.shape[0]
    track = origin.shape[0] == n
    drop = np.zeros(n, np.bool_)
    seps = 0  # separators right before i
    chain_start = -1  # first single letter of the current chain
    chain_last = -1
    chain_count = 0
    last_han = -1
    for i in range(n):
        c = cls[i]
        if c & SEPARATOR:
            seps += 1
            continue
        if c & HAN:
            gap = i - last_han - 1
            if last_han >= 0 and 0 < gap <= max_run and seps == gap:
                for j in range(last_han + 1, i):
                    drop[j] = True
            last_han = i
        elif (c & LETTER) and (i == 0 or (cls[i - 1] & WORD) == 0) and (
                i + 1 == n or (cls[i + 1] & WORD) == 0):
            gap = i - chain_last - 1
            if chain_last >= 0 and 0 < gap <= max_run and seps == gap:
                chain_count += 1
            else:
                if chain_count >= min_letters:
                    _drop_separators(cls, drop, chain_start, chain_last)
                chain_start = i
                chain_count = 1
            chain_last = i
        seps = 0
    if chain_count >= min_letters:
        _drop_separators(cls, drop, chain_start, chain_last)
    # Keep what is left, comparing each character with the last one kept, so that letters
    # brought together by a dropped separator count as repeated too ("t-r-e-n-g-g-i-l-i-n-g").
    out = np.empty(n, np.uint32)
    kept_origin = np.empty(n if track else 0, np.int64)
    kept_class = np.empty(n, np.uint8)
    k = 0
    previous = np.uint32(0)
    for i in range(n):
        if drop[i]:
            continue
        point = points[i]
        if point == previous and (point == _SPACE or (cls[i] & ASCII_LOWER) != 0):
            continue
        out[k] = point
        if track:
            kept_origin[k] = origin[i]
        kept_class[k] = cls[i]
        previous = point
        k += 1
    suspects = np.empty(k, np.int64)
    m = 0
    for i in range(k):
        if (kept_class[i] & LEETISH) and (
                (i > 0 and (kept_class[i - 1] & LETTER) != 0)
                or (i + 1 < k and (kept_class[i + 1] & LETTER) != 0)):
            suspects[m] = i
            m += 1
    return out[:k], kept_origin[:k] if track else kept_origin, suspects[:m]


@njit(cache=True, nogil=True)
def leet_tokens(points: npt.NDArray[np.uint32], char_class: npt.NDArray[np.uint8],
                suspects: npt.NDArray[np.int64],
                mask: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The token around each leetspeak suspect (from :func:`squeeze`), each token once, in
    order: the run of characters around it whose class (``char_class`` by code point) has a
    bit of ``mask``. Returns the tokens' starts and ends."""
    n = points.shape[0]
    starts = np.empty(suspects.shape[0], np.int64)
    ends = np.empty(suspects.shape[0], np.int64)
    m = 0
    done_until = -1
    for at in suspects:
        if at < done_until:
            continue
        start = at
        while start > 0 and (char_class[points[start - 1]] & mask) != 0:
            start -= 1
        end = at + 1
        while end < n and (char_class[points[end]] & mask) != 0:
            end += 1
        done_until = end
        starts[m] = start
        ends[m] = end
        m += 1
    return starts[:m], ends[:m]


@njit(cache=True, nogil=True)
def _drop_separators(cls: npt.NDArray[np.uint8], drop: npt.NDArray[np.bool_], start: int,
                     end: int) -> None:
    for j in range(start + 1, end):
        if cls[j] & SEPARATOR:
            drop[j] = True


@njit(cache=True, nogil=True)
def encode_posts(points: npt.NDArray[np.uint32],
                 segments_per_post: int) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64],
                                                   npt.NDArray[np.uint32], npt.NDArray[np.int64],
                                                   npt.NDArray[np.int64]]:
    """UTF-8 for the matcher, and the hashtags for the tag-word check, of a normalised batch
    whose posts are ``segments_per_post`` newline-ended segments each.

    Returns the UTF-8 bytes; the byte offset where each post starts (one more entry: the end);
    the text after each '#' up to a space, newline or '#' (a superset of what the normaliser
    reads as the tag's body), each run ended by a newline; where each run's newline is; and the
    post each run belongs to.
    """
    n = points.shape[0]
    hashes = 0
    newlines = 0
    for i in range(n):
        if points[i] == 35:
            hashes += 1
        elif points[i] == _NEWLINE:
            newlines += 1
    out = np.empty(4 * n, np.uint8)
    post_starts = np.zeros(newlines // segments_per_post + 2, np.int64)
    tag_points = np.empty(n + hashes, np.uint32)
    run_ends = np.empty(hashes, np.int64)
    run_owners = np.empty(hashes, np.int64)
    k = 0
    t = 0
    runs = 0
    post = 0
    seen = 0
    in_run = False
    for i in range(n):
        c = points[i]
        if in_run and (c == _SPACE or c == _NEWLINE or c == 35):
            run_ends[runs - 1] = t
            tag_points[t] = _NEWLINE
            t += 1
            in_run = False
        if c == 35:
            in_run = True
            run_owners[runs] = post
            runs += 1
        elif in_run:
            tag_points[t] = c
            t += 1
        if c < 0x80:
            out[k] = c
            k += 1
        elif c < 0x800:
            out[k] = 0xC0 | (c >> 6)
            out[k + 1] = 0x80 | (c & 0x3F)
            k += 2
        elif c < 0x10000:
            out[k] = 0xE0 | (c >> 12)
            out[k + 1] = 0x80 | ((c >> 6) & 0x3F)
            out[k + 2] = 0x80 | (c & 0x3F)
            k += 3
        else:
            out[k] = 0xF0 | (c >> 18)
            out[k + 1] = 0x80 | ((c >> 12) & 0x3F)
            out[k + 2] = 0x80 | ((c >> 6) & 0x3F)
            out[k + 3] = 0x80 | (c & 0x3F)
            k += 4
        if c == _NEWLINE:
            seen += 1
            if seen % segments_per_post == 0:
                post += 1
                post_starts[post] = k
    if in_run:
        run_ends[runs - 1] = t
        tag_points[t] = _NEWLINE
        t += 1
    post_starts[post + 1:] = k
    return out[:k], post_starts[:post + 1], tag_points[:t], run_ends[:runs], run_owners[:runs]
