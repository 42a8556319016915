"""Hashed character and word n-grams, computed for a whole batch with a few NumPy operations.

scikit-learn's ``HashingVectorizer`` builds n-grams in Python, about 400 µs for a tweet on the
development machine; this does the same job in array operations over the batch, so the model
costs the scanner little. The hash is part of the model file's format: a polynomial hash of
the n-gram's code points over 64-bit integers (wrapping), seeded with the n-gram length and a
salt per text field, finished with MurmurHash3's 64-bit mixer; the top ``bits`` bits are the
bucket. Each occurrence adds ``1 / sqrt(number of n-grams in the text)`` to its bucket, so a
text's vector has a length-independent scale without a per-text pass.

Word n-grams (``words``, say ``(1, 2)``) share the buckets: a word is a run of letters and
digits (ASCII, or any code point from U+00C0 on, so a run of Chinese or Thai is one word; the
character n-grams cover those). A word's hash is the same polynomial, computed for all words
at once from prefix sums (the multiplier is odd, so it has an inverse modulo 2^64); a word pair
hashes the two words' hashes together. Word n-grams say what character n-grams cannot: which
word stands beside which ("carved ivory", "ivory silk", "on ivory"). Each word n-gram adds
``1 / sqrt(number of word n-grams in the text)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

_MULTIPLIER = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT33 = np.uint64(33)
_SEPARATOR = 0  # code point that never occurs in normalised text
_MASK = (1 << 64) - 1
_INVERSE = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_WORD_SALT = np.uint64(0x9E3779B97F4A7C15)
_PAIR = np.uint64(0x2545F4914F6CDD1D)


@dataclass(frozen=True, slots=True)
class NgramHasher:
    """Character n-grams of ``lengths``, hashed into ``2 ** bits`` buckets."""

    lengths: tuple[int, ...] = (2, 3, 4)
    bits: int = 18
    salt: int = 0
    words: tuple[int, ...] = ()
    """Word n-gram lengths hashed into the same buckets (1 and 2 supported); () for none."""

    @property
    def size(self) -> int:
        return 1 << self.bits

    def occurrences(self, texts: Sequence[str]
                    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                               npt.NDArray[np.float64]]:
        """Every n-gram occurrence as (text index, bucket, value)."""
        docs: list[npt.NDArray[np.int64]] = []
        buckets: list[npt.NDArray[np.int64]] = []
        values: list[npt.NDArray[np.float64]] = []
        for doc, bucket in self._families(texts):
            docs.append(doc)
            buckets.append(bucket.astype(np.int64))
            values.append(_scale(doc, len(texts))[doc])
        if not docs:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0, dtype=np.float64)
        return np.concatenate(docs), np.concatenate(buckets), np.concatenate(values)

    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The texts as a sparse matrix (for training)."""
        doc, bucket, value = self.occurrences(texts)
        return sp.csr_matrix((value, (doc, bucket)), shape=(len(texts), self.size))

    def dot(self, texts: Sequence[str], weights: npt.NDArray[np.floating]
            ) -> npt.NDArray[np.float64]:
        """``matrix(texts) @ weights`` without building the matrix (for scoring): per family
        of n-grams, the sum of the weights of a text's n-grams times the text's scale."""
        out = np.zeros(len(texts), dtype=np.float64)
        for doc, bucket in self._families(texts):
            out += np.bincount(doc, weights=weights[bucket], minlength=len(texts)) \
                * _scale(doc, len(texts))
        return out

    def _families(self, texts: Sequence[str]
                  ) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64]]]:
        """(text index, bucket) of every occurrence, per family: the character n-grams, then
        the word n-grams (each family is scaled on its own)."""
        if not texts:
            return []
        joined = "\0" + "\0".join(f" {text.replace(chr(0), ' ')} " for text in texts) + "\0"
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        separator = points == _SEPARATOR
        owner = np.cumsum(separator) - 1
        # separators before each position: a window [i, i + length) holds one when
        # before[i + length] > before[i]
        before = np.concatenate(([0], owner + 1))
        docs: list[npt.NDArray[np.int64]] = []
        buckets: list[npt.NDArray[np.uint64]] = []
        shift = np.uint64(64 - self.bits)
        for length in self.lengths:
            count = len(points) - length + 1
            if count <= 0:
                continue
            # state = seed; for each k: state = state * M ^ point[k], in place
            seed = ((self.salt * 1_000_003 + length) * int(_MULTIPLIER)) & _MASK
            state = points[:count] ^ np.uint64(seed)
            for k in range(1, length):
                state *= _MULTIPLIER
                state ^= points[k:k + count]
            keep = before[length:length + count] == before[:count]
            buckets.append(_mix(state[keep]) >> shift)
            docs.append(owner[:count][keep])
        families = [(np.concatenate(docs), np.concatenate(buckets))] if docs else []
        if self.words:
            families.append(self._word_ngrams(points, owner, shift))
        return families

    def _word_ngrams(self, points: npt.NDArray[np.uint64], owner: npt.NDArray[np.int64],
                     shift: np.uint64) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
        """(text index, bucket) of every word n-gram. ``points`` starts and ends with a
        separator, so no word touches either end."""
        is_word = (((points >= 48) & (points <= 57)) | ((points >= 97) & (points <= 122))
                   | (points >= 0xC0))
        edges = np.diff(is_word.view(np.int8))
        starts = np.flatnonzero(edges == 1) + 1
        ends = np.flatnonzero(edges == -1)  # last character of each word
        power, inverse = _powers(len(points))
        # sum over the word of c_k * M^(end - k): prefix sums of c_k * M^-k, times M^end
        terms = points * inverse
        terms[~is_word] = 0
        prefix = np.cumsum(terms, dtype=np.uint64)
        word = prefix[ends]
        word -= prefix[starts - 1]  # starts > 0: points[0] is a separator
        word *= power[ends]
        word += np.uint64((self.salt * int(_WORD_SALT)) & _MASK)
        doc = owner[starts]
        docs: list[npt.NDArray[np.int64]] = []
        buckets: list[npt.NDArray[np.uint64]] = []
        if 1 in self.words:
            docs.append(doc)
            buckets.append(_mix(word ^ _WORD_SALT) >> shift)
        if 2 in self.words and len(word) > 1:
            same = doc[1:] == doc[:-1]
            pair = _mix(word[:-1])
            pair *= _PAIR
            pair ^= word[1:]
            docs.append(doc[1:][same])
            buckets.append(_mix(pair[same]) >> shift)
        if not docs:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint64)
        return np.concatenate(docs), np.concatenate(buckets)


def _scale(doc: npt.NDArray[np.int64], texts: int) -> npt.NDArray[np.float64]:
    """Per text, 1 / sqrt(its number of occurrences) (1 for a text with none)."""
    return 1.0 / np.sqrt(np.maximum(np.bincount(doc, minlength=texts), 1).astype(np.float64))


_POWERS: list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]] = []
_CACHED_POWERS = 1 << 20  # longest batch (in code points) whose powers are kept: 16 MB


def _powers(count: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """M^k and M^-k modulo 2^64 for k below ``count``; kept between calls, as every batch
    needs the same ones."""
    if _POWERS and len(_POWERS[0][0]) >= count:
        power, inverse = _POWERS[0]
        return power[:count], inverse[:count]
    size = max(count, 1 << 16)
    power = np.full(size, _MULTIPLIER, dtype=np.uint64)
    inverse = np.full(size, _INVERSE, dtype=np.uint64)
    power[0] = inverse[0] = 1
    found = (np.cumprod(power, dtype=np.uint64), np.cumprod(inverse, dtype=np.uint64))
    if size <= _CACHED_POWERS:
        _POWERS[:] = [found]
    return found[0][:count], found[1][:count]


def _mix(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """MurmurHash3's 64-bit finaliser, in place on a fresh array (``h`` itself is kept)."""
    h = h ^ (h >> _SHIFT33)
    h *= _MIX1
    h ^= h >> _SHIFT33
    h *= _MIX2
    h ^= h >> _SHIFT33
    return h
