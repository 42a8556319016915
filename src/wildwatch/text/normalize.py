"""Undo what traffickers do to words, a whole batch at once, remembering where each character was.

Sellers write ``1v0ry``, ``i.v.o.r.y``, ``ｉｖｏｒｙ``, ``іvоrу`` (Cyrillic), ``象 牙``, ``熊膽``,
``ivoryyy`` and ``#CarvedIvoryTusk``. The normaliser turns all of these into the form the lexicon
is stored in, so one literal matcher finds them all. It works on a batch of text segments joined
into one string, as an array of code points: one compiled pass (``compiled.fold_points``) looks
each character up in a table that does Unicode compatibility folding, case folding, accent
removal, look-alike letters and Traditional to Simplified Chinese; a second (``compiled.squeeze``)
joins split words and drops repeats. Python-level work is spent only where something suspicious
is found (a digit inside a word, a lexicon word inside a hashtag).

Every output character keeps the position of the input character it came from
(:meth:`Normalizer.trace`), so a match in normalised text can be shown, highlighted, where
the seller wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick
import numpy as np
import numpy.typing as npt

from wildwatch import compiled
from wildwatch.text.tables import LEET, LEETISH, WORD, Tables, tables

IntArray = npt.NDArray[np.int64]

_MAX_SEPARATOR_RUN = 3  # "i . v" is a split word; a longer gap is two words
_MIN_SPLIT_LETTERS = 3  # "a b" is ordinary text; "i v o r y" is not
_HASHTAG = re.compile(r"#(\w+)")
_REPEATS = re.compile(r"([a-z])\1+")
_HASH = ord("#")
_LEET_CACHE = 100_000  # tokens remembered before the memory of them is cleared
_NO_BOUNDARIES = np.empty(0, dtype=np.int64)
_NO_ORIGIN = np.empty(0, dtype=np.int64)
_EVERY_NEWLINE = np.empty(0, dtype=np.int64)  # a marker: each newline of the input is a join


@dataclass(frozen=True, slots=True)
class Traced:
    """Normalised text of one segment and, per character, where in the input it came from."""

    text: str
    origin: IntArray
    """``origin[i]`` is the position in the input of normalised character ``i``."""
    source: str
    """The input."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The input span that normalised ``text[start:end]`` came from.

        A repeated last letter counts once in normalised text ("Hawksbill" -> "hawksbil"); the
        span still covers all of it.
        """
        first, stop = int(self.origin[start]), int(self.origin[end - 1]) + 1
        last = self.source[stop - 1].casefold()
        if last.isalpha():
            while stop < len(self.source) and self.source[stop].casefold() == last:
                stop += 1
        return first, stop


class Normalizer:
    """Folds text into lexicon form.

    ``vocabulary`` is the set of words leetspeak may turn into; ``hashtag_words`` the words and
    phrases looked for inside hashtags (``#ivoryforsale`` -> ``ivory``, ``#BigCatCub`` ->
    ``big cat``).

    Without a vocabulary, a digit inside a word is read as a letter only when letters stand on
    both sides of it (``1v0ry`` -> ``ivory``, but ``10cm`` stays). With one (the detector passes
    every word of the lexicon), a token is folded whenever its folded form is a lexicon word, so
    ``1vory`` is caught too while ``10cm`` is never touched.

    Every rule is local to a segment: normalising segments as a batch gives, between the
    newlines, exactly what normalising each alone gives. The detector relies on that: it
    normalises a whole batch untraced, and traces only the few segments that matched.
    """

    def __init__(self, vocabulary: Iterable[str] = (), hashtag_words: Iterable[str] = ()) -> None:
        self._tables = tables()
        self._vocabulary = frozenset(vocabulary)
        self._segmenter = _build_segmenter(frozenset(hashtag_words))
        # What each leetspeak token (and whether it opens a hashtag) reads as, "" if it is left
        # alone: listings repeat the same few ("10cm", "2pcs", "1v0ry") endlessly.
        self._leet_read: dict[tuple[str, bool], str] = {}

    def normalize(self, text: str, *, expand_hashtags: bool = True) -> str:
        """Normalise one string (newlines in it become spaces)."""
        return self._run(text, None, expand_hashtags, track=False)[0]

    def normalize_batch(self, segments: Sequence[str], *, expand_hashtags: bool = True) -> str:
        """Normalise many segments in one pass; the result joins them with newlines.

        ``expand_hashtags=False`` is for lexicon terms: a hashtag term is matched as written.
        """
        raw = "\n".join(segments)
        if len(segments) < 2:
            return self._run(raw, None, expand_hashtags, track=False)[0]
        if raw.count("\n") == len(segments) - 1:  # the usual case: every newline is a join
            return self._run(raw, _EVERY_NEWLINE, expand_hashtags, track=False)[0]
        ends = np.cumsum(np.fromiter(map(len, segments), dtype=np.int64, count=len(segments)))
        boundaries = ends[:-1] + np.arange(len(segments) - 1)
        return self._run(raw, boundaries, expand_hashtags, track=False)[0]

    def trace(self, text: str, *, expand_hashtags: bool = True) -> Traced:
        """Normalise one segment and keep, per output character, its input position."""
        out, origin = self._run(text, None, expand_hashtags, track=True)
        return Traced(out, origin, text)

    def trace_many(self, segments: Sequence[str]) -> list[Traced]:
        """:meth:`trace` for each segment, in one pass (rules are local to a segment)."""
        if len(segments) < 2:
            return [self.trace(segment) for segment in segments]
        raw = "\n".join(segments)
        sizes = np.fromiter(map(len, segments), dtype=np.int64, count=len(segments))
        starts = np.concatenate(([0], np.cumsum(sizes + 1)[:-1]))
        boundaries = starts[1:] - 1
        out, origin = self._run(raw, boundaries, True, track=True)
        # The output keeps a newline at each boundary, and no other newline.
        cuts = np.flatnonzero(np.frombuffer(out.encode("utf-32-le"), np.uint32) == 10)
        edges = np.concatenate(([0], cuts + 1, [len(out) + 1])).tolist()
        return [Traced(out[edges[i]:edges[i + 1] - 1],
                       origin[edges[i]:edges[i + 1] - 1] - starts[i], segment)
                for i, segment in enumerate(segments)]

    def _run(self, raw: str, boundaries: IntArray | None, expand_hashtags: bool,
             track: bool) -> tuple[str, IntArray]:
        """The pipeline. With ``track=False`` the returned positions are empty (batch path)."""
        points = np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)
        folded, origin = self._fold(points, boundaries, track)
        text = folded.tobytes().decode("utf-32-le")
        if expand_hashtags and self._segmenter is not None and "#" in text:
            text, traced = self._split_hashtags(text, origin if track else None)
            if traced is not None:
                origin = traced
        return text, origin

    @property
    def tables(self) -> Tables:
        """The character tables (see :mod:`wildwatch.text.tables`)."""
        return self._tables

    def finish_folded(self, points: npt.NDArray[np.uint32],
                      classes: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint32]:
        """Normalise a batch whose characters are already folded one by one through
        :attr:`tables` (every newline a segment boundary; ``classes``: each point's class):
        join split words, drop repeats, read leetspeak. Hashtag words are not read out (see
        :attr:`hashtag_words`). The scanner's fast path, which never makes a Python string of
        the text, folds as it decodes and calls this."""
        folded, _, suspects = compiled.squeeze(points, _NO_ORIGIN, classes, _MAX_SEPARATOR_RUN,
                                               _MIN_SPLIT_LETTERS)
        if len(suspects):
            folded, _ = self._fold_leet(folded, _NO_ORIGIN, suspects)
        return folded

    @property
    def hashtag_words(self) -> ahocorasick.Automaton | None:
        """The automaton of the words looked for inside hashtags, run together as a tag holds
        them (``ivory tusk`` as ``ivorytusk``); None when there are none. A tag that holds
        none of them is left as it is by the normaliser."""
        return self._segmenter

    def _fold(self, points: npt.NDArray[np.uint32], boundaries: IntArray | None,
              track: bool) -> tuple[npt.NDArray[np.uint32], IntArray]:
        """Everything but hashtag words: character folding, joining split words, leetspeak."""
        tables = self._tables
        folded, origin, classes = compiled.fold_points(
            points, tables.fold, tables.expansion_offsets, tables.expansion_points,
            boundaries if boundaries is not None else _NO_BOUNDARIES,
            boundaries is _EVERY_NEWLINE, tables.char_class, track)
        folded, origin, suspects = compiled.squeeze(folded, origin, classes,
                                                    _MAX_SEPARATOR_RUN, _MIN_SPLIT_LETTERS)
        if len(suspects):
            folded, origin = self._fold_leet(folded, origin, suspects)
        return folded, origin

    def _fold_leet(self, points: npt.NDArray[np.uint32], origin: IntArray,
                   suspects: IntArray) -> tuple[npt.NDArray[np.uint32], IntArray]:
        """Read digits and symbols inside words as the letters they stand for."""
        starts, ends = compiled.leet_tokens(points, self._tables.char_class, suspects,
                                            WORD | LEETISH)
        replaced: list[tuple[int, int, str]] = []
        read = self._leet_read
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            token = points[start:end].tobytes().decode("utf-32-le")
            key = (token, start > 0 and int(points[start - 1]) == _HASH)
            folded = read.get(key)
            if folded is None:
                if len(read) >= _LEET_CACHE:
                    read.clear()
                folded = _REPEATS.sub(r"\1", "".join(LEET.get(ch, ch) for ch in token))
                if folded == token or not self._accepts_leet(token, folded, key[1]):
                    folded = ""
                read[key] = folded
            if folded:
                replaced.append((start, end, folded))
        if not replaced:
            return points, origin
        pieces, origins, last_end = [], [], 0
        for start, end, folded in replaced:
            pieces.append(points[last_end:start])
            origins.append(origin[last_end:start])
            pieces.append(np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32))
            # A folded token is never longer: its last letter keeps the token's last position,
            # so a highlight covers the whole token as written.
            origins.append(origin[start:start + len(folded) - 1])
            origins.append(origin[end - 1:end])
            last_end = end
        pieces.append(points[last_end:])
        origins.append(origin[last_end:])
        return np.concatenate(pieces), np.concatenate(origins)

    def _accepts_leet(self, token: str, folded: str, in_tag: bool) -> bool:
        if not folded.isalpha():
            return False
        if in_tag and self._segmenter is not None and next(self._segmenter.iter(folded), None):
            return True  # "#ant1qu3iv0ry" holds a lexicon word once read as letters
        if self._vocabulary:
            return folded in self._vocabulary
        return any(token[i] in LEET and token[i - 1].isalpha() and token[i + 1].isalpha()
                   for i in range(1, len(token) - 1))

    def _split_hashtags(self, text: str,
                        origin: IntArray | None) -> tuple[str, IntArray | None]:
        """After each hashtag, append the lexicon words it is made of.

        ``#carvedivorytusk`` becomes ``#carvedivorytusk carved ivory tusk``: the tag itself still
        matches hashtag terms, and the words match word terms. The appended characters point at
        the letters of the tag they were read from.
        """
        segmenter = self._segmenter
        assert segmenter is not None
        bodies = _HASHTAG.findall(text)
        if not bodies:
            return text, origin
        # One pass of the automaton over all tags; most hold no lexicon word and stay as they are.
        joined = "\n".join(bodies)
        ends = np.cumsum(np.fromiter(map(len, bodies), dtype=np.int64, count=len(bodies)) + 1)
        hit_ends = [end for end, _ in segmenter.iter(joined)]
        if not hit_ends:
            return text, origin
        worth = {bodies[i] for i in np.searchsorted(ends, hit_ends, "right").tolist()}
        edits: list[tuple[int, int, str, list[int]]] = []
        for body in worth:
            found = _leftmost_longest(segmenter, body)
            if not found:
                continue
            tag = "#" + body
            at = text.find(tag)
            while at >= 0:
                end = at + len(tag)
                if end == len(text) or not (text[end].isalnum() or text[end] == "_"):
                    edits.append((at, end, *_spelled_out(body, at + 1, found)))
                at = text.find(tag, end)
        if not edits:
            return text, origin
        edits.sort()
        pieces: list[str] = []
        positions: list[IntArray] = []
        last = 0
        for _, end, words, word_positions in edits:
            pieces += (text[last:end], words)
            if origin is not None:
                positions += (origin[last:end], origin[np.asarray(word_positions)])
            last = end
        pieces.append(text[last:])
        if origin is None:
            return "".join(pieces), None
        positions.append(origin[last:])
        return "".join(pieces), np.concatenate(positions)


def _spelled_out(body: str, body_start: int,
                 found: list[tuple[int, int, str]]) -> tuple[str, list[int]]:
    """The words found in a tag, as text to append after it and the position of each letter."""
    out: list[str] = []
    positions: list[int] = []
    last_end = -1
    for start, end, words in found:
        joiner = " " if start == last_end or last_end < 0 else " / "
        out.append(joiner + words)
        positions += [body_start + start] * len(joiner)
        at = body_start + start
        for ch in words:  # a space inside the words points at the letter after it
            positions.append(at)
            if ch != " ":
                at += 1
        last_end = end
    return "".join(out), positions


def _build_segmenter(phrases: frozenset[str]) -> ahocorasick.Automaton | None:
    """An automaton of the phrases as written run together in a tag ("loro gris africano" is
    found in "#lorogrisafricano"); each value is (length in the tag, the phrase)."""
    automaton = ahocorasick.Automaton()
    # Sorted, and the first phrase kept where two run together the same way ("bear gall
    # bladders", "bear gallbladders"): a set's order changes with every process.
    for phrase in sorted(phrases):
        joined = phrase.replace(" ", "")
        if joined.isalpha() and joined not in automaton:
            automaton.add_word(joined, (len(joined), phrase))
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _leftmost_longest(automaton: ahocorasick.Automaton,
                      body: str) -> list[tuple[int, int, str]]:
    hits = sorted((end + 1 - length, end + 1, phrase)
                  for end, (length, phrase) in automaton.iter(body))
    chosen: list[tuple[int, int, str]] = []
    for start, end, phrase in hits:
        if chosen and start < chosen[-1][1]:
            if start == chosen[-1][0] and end > chosen[-1][1]:
                chosen[-1] = (start, end, phrase)
            continue
        chosen.append((start, end, phrase))
    if len(chosen) == 1 and chosen[0][:2] == (0, len(body)) and " " not in chosen[0][2]:
        return []  # the tag is one word already
    return chosen


_default: Normalizer | None = None


def normalize_text(text: str) -> str:
    """Normalise one string with the lexicon-independent rules (see :class:`Normalizer`)."""
    global _default
    if _default is None:
        _default = Normalizer()
    return _default.normalize(text)
