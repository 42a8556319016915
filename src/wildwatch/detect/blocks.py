"""Scanning raw JSONL blocks: the fast path of ``wildwatch scan``.

Most posts mention no wildlife. :class:`BlockScanner` finds out which ones do without making a
Python object per post: it reads the block in compiled code
(:func:`wildwatch.ingest.jsonl_kernel.parse_block`, which folds characters as it decodes them),
finishes normalising every post's text as one array
(:meth:`wildwatch.text.Normalizer.finish_folded`) and runs the matcher once over all of it. Only the
posts with a match, and the lines the compiled reader was unsure of, go the ordinary way
(:meth:`Detector.scan_batch` on decoded posts); every other post gets its clear verdict, already
written by the reader.

Why that gives the ordinary answer: the ordinary normaliser differs from this one only in
reading lexicon words out of hashtags (``#carvedivorytusk`` -> ``carved ivory tusk``), and it does
that only for a tag that holds one of :attr:`Normalizer.hashtag_words`. So a post goes the
ordinary way if the matcher finds a term in its text or one of those words in one of its tags;
a post with neither has no match either way, and a post with no match is clear whatever the
scorer. ``tests/detect/test_blocks.py`` holds the two paths to the same bytes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import msgspec
import numpy as np
import numpy.typing as npt

from wildwatch import compiled
from wildwatch.detect.detector import Detector
from wildwatch.detect.verdict import Verdict
from wildwatch.ingest.block_format import (
    FAST,
    KEYS,
    LONG_LANG,
    SELLER_KEYS,
    SLOW,
    TOO_LARGE,
    key_table,
)
from wildwatch.ingest.post import Post
from wildwatch.ingest.readers import ErrorRecord, decode_jsonl_record, record_too_large

_SEGMENTS = 4  # title, text, description, hashtags: as Detector.scan_batch lays a post out
_encoder = msgspec.json.Encoder()


@dataclass(slots=True)
class BlockScan:
    """What one block held: its verdicts, encoded, and everything the run counts."""

    output: bytes
    """Verdict lines in input order: all of them, or only the flagged ones."""
    errors: list[ErrorRecord]
    verdicts: int
    written: int
    flagged: list[Verdict]
    posts_by_lang: Counter[str] = field(default_factory=Counter)
    ordinary: int = 0
    """Posts that went the ordinary way (a match, or a line the compiled reader left alone)."""


class BlockScanner:
    """Scans blocks of JSONL lines with a detector (build one per process, like the detector)."""

    def __init__(self, detector: Detector) -> None:
        self.detector = detector
        self._keys = key_table(KEYS)
        self._seller_keys = key_table(SELLER_KEYS)
        self._template = _clear_template(detector)
        self._tables = detector.normalizer.tables

    def scan(self, block: bytes, first_line: int, offset: int, limit: int,
             write_all: bool) -> BlockScan:
        """Scan ``block`` (whole lines; the first is line ``first_line`` of the input, at byte
        ``offset``); records over ``limit`` bytes are errors."""
        data = np.frombuffer(block, np.uint8)
        starts, ends = compiled.split_lines(data)
        keys, seller_keys, template, tables = (self._keys, self._seller_keys, self._template,
                                               self._tables)
        status, lang_spans, lang_keys, points, classes, output, output_ends = compiled.parse_block(
            data, starts, ends, limit, keys[0], keys[1], seller_keys[0], seller_keys[1],
            template[0], template[1], template[2], template[3], write_all, tables.fold,
            tables.expansion_offsets, tables.expansion_points, tables.char_class)
        fast = np.flatnonzero(status == FAST)
        matched = fast[self._posts_with_matches(points, classes, len(fast))]
        clear = np.setdiff1d(fast, matched, assume_unique=True)
        ordinary = np.union1d(np.flatnonzero((status == SLOW) | (status == TOO_LARGE)), matched)

        errors: list[ErrorRecord] = []
        posts: list[Post] = []
        lines: list[int] = []
        for line in ordinary.tolist():
            start, end = int(starts[line]), int(ends[line])
            if status[line] == TOO_LARGE:
                ended = end < len(block)  # the line's newline is in the block
                errors.append(record_too_large(first_line + line, offset + start,
                                               end - start + ended, limit))
                continue
            decoded = decode_jsonl_record(block[start:end], first_line + line, offset + start)
            if isinstance(decoded, Post):
                posts.append(decoded)
                lines.append(line)
            else:
                errors.append(decoded)
        verdicts = self.detector.scan_batch(posts)
        flagged = [verdict for verdict in verdicts if verdict.flagged]

        if write_all:
            by_line = dict(zip(lines, verdicts, strict=True))
            view = output.data
            pieces: list[bytes | memoryview] = []
            at = 0
            for line in ordinary.tolist():
                # The reader wrote a clear verdict for a matched post; the ordinary one replaces it.
                pieces.append(view[at:output_ends[line]])
                if line in by_line:
                    pieces += (_encoder.encode(by_line[line]), b"\n")
                at = int(output_ends[line + 1])
            pieces.append(view[at:])
            encoded = b"".join(pieces)
            written = len(clear) + len(verdicts)
        else:
            encoded = _encoder.encode_lines(flagged) if flagged else b""
            written = len(flagged)

        by_lang: Counter[str] = Counter(verdict.lang or "unknown" for verdict in verdicts)
        packed, counts = np.unique(lang_keys[clear], return_counts=True)
        for key, count in zip(packed.tolist(), counts.tolist(), strict=True):
            if key == LONG_LANG:
                for line in clear[lang_keys[clear] == LONG_LANG].tolist():
                    by_lang[block[lang_spans[2 * line]:lang_spans[2 * line + 1]].decode()] += 1
            else:
                by_lang[_unpack_lang(key)] += count
        return BlockScan(encoded, errors, len(clear) + len(verdicts), written, flagged, by_lang,
                         len(ordinary))

    def _posts_with_matches(self, points: npt.NDArray[np.uint32],
                            classes: npt.NDArray[np.uint8],
                            posts: int) -> npt.NDArray[np.int64]:
        """Which of the ``posts`` (laid out in ``points``, folded, with their ``classes``) the
        ordinary way could find a term in: a match in the normalised text, or a hashtag word
        in a tag."""
        if not posts:
            return np.empty(0, np.int64)
        folded = self.detector.normalizer.finish_folded(points, classes)
        data, post_starts, tag_points, run_ends, run_owners = compiled.encode_posts(
            folded, _SEGMENTS)
        hits = self.detector.engine.find_utf8(data.tobytes())
        owners = np.searchsorted(post_starts, [start for _, start, _ in hits], "right") - 1
        tag_words = self.detector.normalizer.hashtag_words
        if tag_words is not None and len(run_ends):
            tags = tag_points.tobytes().decode("utf-32-le")
            tag_hits = [end for end, _ in tag_words.iter(tags)]
            if tag_hits:
                owners = np.concatenate((owners, run_owners[np.searchsorted(run_ends,
                                                                            tag_hits)]))
        return np.unique(owners.astype(np.int64))


_Bytes = npt.NDArray[np.uint8]


def _unpack_lang(key: int) -> str:
    """A lang from its packed key (see :func:`parse_block`); "unknown" for none."""
    size = key >> 56
    if not size:
        return "unknown"
    return (key & ((1 << 56) - 1)).to_bytes(7, "little")[:size].decode()


def _clear_template(detector: Detector) -> tuple[_Bytes, _Bytes, _Bytes, _Bytes]:
    """The bytes of a clear verdict around its id, platform, lang and extra, as msgspec
    encodes them for this detector: what the compiled reader writes for a clear post."""
    marks = ('"\\u0001"', '"\\u0002"', '"\\u0003"')
    encoded = _encoder.encode(Verdict(
        "\x01", 0.0, False, lexicon_version=detector.lexicon.version,
        scorer=detector.scorer.name, model_version=detector.scorer.version,
        platform="\x02", lang="\x03")).decode()
    head, rest = encoded.split(marks[0])
    middle, rest = rest.split(marks[1])
    before_lang, rest = rest.split(marks[2])
    if not rest.endswith("{}}"):
        raise AssertionError(f"a verdict no longer ends with its extra: {encoded}")
    head_bytes, middle_bytes, lang_bytes, extra_bytes = (
        np.frombuffer(piece.encode(), np.uint8).copy()
        for piece in (head, middle, before_lang, rest[:-2]))
    return head_bytes, middle_bytes, lang_bytes, extra_bytes
