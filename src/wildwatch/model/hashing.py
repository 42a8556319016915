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
        if not texts:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0, dtype=np.float64)
        joined = "\0" + "\0".join(f" {text.replace(chr(0), ' ')} " for text in texts) + "\0"
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        separator = points == _SEPARATOR
        owner = np.cumsum(separator) - 1
        docs: list[npt.NDArray[np.int64]] = []
        buckets: list[npt.NDArray[np.uint64]] = []
        shift = np.uint64(64 - self.bits)
        for length in self.lengths:
            count = len(points) - length + 1
            if count <= 0:
                continue
            state = np.full(count, np.uint64(self.salt * 1_000_003 + length), dtype=np.uint64)
            crosses = np.zeros(count, dtype=bool)
            for k in range(length):
                state = (state * _MULTIPLIER) ^ points[k:k + count]
                crosses |= separator[k:k + count]
            keep = ~crosses
            buckets.append(_mix(state[keep]) >> shift)
            docs.append(owner[:count][keep])
        doc = np.concatenate(docs).astype(np.int64)
        bucket = np.concatenate(buckets).astype(np.int64)
        per_text = np.bincount(doc, minlength=len(texts)).astype(np.float64)
        value = 1.0 / np.sqrt(np.maximum(per_text, 1.0))[doc]
        if not self.words:
            return doc, bucket, value
        word_doc, word_bucket = self._word_ngrams(points, owner, shift)
        per_text = np.bincount(word_doc, minlength=len(texts)).astype(np.float64)
        word_value = 1.0 / np.sqrt(np.maximum(per_text, 1.0))[word_doc]
        return (np.concatenate([doc, word_doc]), np.concatenate([bucket, word_bucket]),
                np.concatenate([value, word_value]))

    def _word_ngrams(self, points: npt.NDArray[np.uint64], owner: npt.NDArray[np.int64],
                     shift: np.uint64) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(text index, bucket) of every word n-gram. ``points`` starts and ends with a
        separator, so no word touches either end."""
        is_word = (((points >= 48) & (points <= 57)) | ((points >= 97) & (points <= 122))
                   | (points >= 0xC0))
        edges = np.diff(is_word.astype(np.int8))
        starts = np.flatnonzero(edges == 1) + 1
        ends = np.flatnonzero(edges == -1)  # last character of each word
        count = len(points)
        power = np.empty(count, dtype=np.uint64)
        inverse = np.empty(count, dtype=np.uint64)
        power[0] = inverse[0] = 1
        power[1:] = _MULTIPLIER
        inverse[1:] = _INVERSE
        with np.errstate(over="ignore"):
            power = np.cumprod(power, dtype=np.uint64)
            inverse = np.cumprod(inverse, dtype=np.uint64)
            # sum over the word of c_k * M^(end - k): prefix sums of c_k * M^-k, times M^end
            prefix = np.cumsum(np.where(is_word, points * inverse, np.uint64(0)),
                               dtype=np.uint64)
            before = np.where(starts > 0, prefix[starts - 1], np.uint64(0))
            word = (prefix[ends] - before) * power[ends] + np.uint64(self.salt) * _WORD_SALT
            doc = owner[starts]
            docs: list[npt.NDArray[np.int64]] = []
            buckets: list[npt.NDArray[np.uint64]] = []
            if 1 in self.words:
                docs.append(doc)
                buckets.append(_mix(word ^ _WORD_SALT) >> shift)
            if 2 in self.words and len(word) > 1:
                same = doc[1:] == doc[:-1]
                pair = (_mix(word[:-1]) * _PAIR) ^ word[1:]
                docs.append(doc[1:][same])
                buckets.append(_mix(pair[same]) >> shift)
        if not docs:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        return (np.concatenate(docs).astype(np.int64),
                np.concatenate(buckets).astype(np.int64))

    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The texts as a sparse matrix (for training)."""
        doc, bucket, value = self.occurrences(texts)
        return sp.csr_matrix((value, (doc, bucket)), shape=(len(texts), self.size))

    def dot(self, texts: Sequence[str], weights: npt.NDArray[np.floating]
            ) -> npt.NDArray[np.float64]:
        """``matrix(texts) @ weights`` without building the matrix (for scoring)."""
        doc, bucket, value = self.occurrences(texts)
        return np.asarray(np.bincount(doc, weights=value * weights[bucket],
                                      minlength=len(texts)), dtype=np.float64)


def _mix(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    h = h ^ (h >> _SHIFT33)
    h = h * _MIX1
    h = h ^ (h >> _SHIFT33)
    h = h * _MIX2
    return h ^ (h >> _SHIFT33)
