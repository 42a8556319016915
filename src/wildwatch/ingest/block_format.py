"""What the compiled JSONL reader (:mod:`wildwatch.ingest.jsonl_kernel`) and its callers agree on:
line statuses, the keys it knows and the tables it compares keys against.

Kept apart from the kernel so that a caller can use them without importing Numba, which a
scanner built ahead of time (:mod:`wildwatch.compiled`) never needs.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: Line statuses.
FAST = 0
"""A valid post, decoded; its clear verdict is written."""
SLOW = 1
"""Take the ordinary path: decode with msgspec, which accepts it or says what is wrong."""
BLANK = 2
"""Only whitespace: skipped, not a record."""
TOO_LARGE = 3
"""Longer than the record limit: an error, never decoded."""

#: Top-level keys, in the order of the kernel's key ids. "extra" is Post's own catch-all: a
#: record that sends it is rare and ambiguous, so it goes the ordinary way.
KEYS = ("id", "title", "text", "description", "hashtags", "price", "currency", "url",
        "platform", "lang", "created_at", "seller", "images", "extra")
SELLER_KEYS = ("id", "name", "bio")
"""The keys of a post's seller object, in the order of the kernel's ids."""

LONG_LANG = -1
"""The lang key of a line whose lang is longer than an integer packs: count it from its span."""


def key_table(names: tuple[str, ...]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """Names as one byte array and offsets, the form the kernel compares keys against."""
    encoded = [name.encode() for name in names]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    offsets[1:] = np.cumsum([len(name) for name in encoded])
    return np.frombuffer(b"".join(encoded), np.uint8).copy(), offsets
