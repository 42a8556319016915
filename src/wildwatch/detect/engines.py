"""Multi-pattern matchers: every lexicon term found in one pass over a batch of normalised text.

Two engines, one interface. Hyperscan (Intel's regex engine, x86-64 wheels only) compiles every
term into one literal automaton and is the fastest measured here; the Aho-Corasick engine
(pyahocorasick, portable C) finds the same matches anywhere Hyperscan has no wheel. Both find
substrings and check word edges in Python, on candidates only. The tests run every case on both
and demand the same answers.

Whole-word matching applies at a term's edge when that edge is an ASCII letter or digit (scripts
that use spaces, after normalisation); CJK, Thai and emoji terms match as substrings.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence

_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_WORD_CHARS = frozenset(chr(b) for b in _WORD_BYTES)


class MatchEngine(abc.ABC):
    """Finds all occurrences of a fixed set of normalised patterns.

    Why an interface: the fastest engine is not available everywhere, and a new one (a GPU
    matcher, a Rust extension) should drop in without touching the detector. Implementations
    must return exactly the same matches for the same input.
    """

    name: str

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = list(patterns)
        self.left_boundary = [p[:1] in _WORD_CHARS for p in self.patterns]
        self.right_boundary = [p[-1:] in _WORD_CHARS for p in self.patterns]

    def whole_word(self, text: str, index: int, start: int, end: int) -> bool:
        """Whether a substring match of pattern ``index`` stands as a word where it must."""
        if self.left_boundary[index] and start > 0 and text[start - 1] in _WORD_CHARS:
            return False
        return not (self.right_boundary[index] and end < len(text) and text[end] in _WORD_CHARS)

    @abc.abstractmethod
    def find(self, text: str) -> list[tuple[int, int, int]]:
        """All ``(pattern index, start, end)`` in ``text``, as character offsets, any order."""

    def find_utf8(self, data: bytes) -> list[tuple[int, int, int]]:
        """The same matches in UTF-8 ``data``, as byte offsets: for the scanner's fast path,
        which never makes a string of the text. This version decodes and maps offsets back;
        an engine that reads bytes does better."""
        text = data.decode("utf-8")
        out = []
        byte = char = 0
        for index, start, end in sorted(self.find(text), key=lambda hit: hit[1]):
            byte += len(text[char:start].encode("utf-8"))
            char = start
            out.append((index, byte, byte + len(text[start:end].encode("utf-8"))))
        return out


class AhoCorasickEngine(MatchEngine):
    """Portable reference engine: pyahocorasick finds substrings, Python checks word edges."""

    name = "aho-corasick"

    def __init__(self, patterns: Sequence[str]) -> None:
        import ahocorasick

        super().__init__(patterns)
        self._automaton = ahocorasick.Automaton()
        for index, pattern in enumerate(self.patterns):
            self._automaton.add_word(pattern, index)
        self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, int]]:
        found = []
        for last, index in self._automaton.iter(text):
            start = last + 1 - len(self.patterns[index])
            if self.whole_word(text, index, start, last + 1):
                found.append((index, start, last + 1))
        return found


class HyperscanEngine(MatchEngine):
    """Hyperscan block-mode databases; word edges are checked like Aho-Corasick's.

    Long patterns are compiled as pure literals: compiling word boundaries (``\\b``) into all
    of them makes compilation two orders of magnitude slower (seconds for the shipped lexicon,
    minutes for 20,000 terms). Short ones ("fur", "vel", "mat") would turn up inside every
    other word ("furniture", "level", "material") and cost a Python check each, so they get
    their boundaries compiled in: a few dozen patterns compile in a blink.
    """

    name = "hyperscan"
    short = 5

    def __init__(self, patterns: Sequence[str]) -> None:
        import hyperscan

        super().__init__(patterns)
        self._char_lengths = [len(pattern) for pattern in self.patterns]
        self._byte_lengths = [len(pattern.encode("utf-8")) for pattern in self.patterns]
        bounded = [i for i, p in enumerate(self.patterns)
                   if len(p) <= self.short and (self.left_boundary[i] or self.right_boundary[i])]
        literal = sorted(set(range(len(self.patterns))) - set(bounded))
        self._databases = []
        if literal:
            database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            database.compile(expressions=[self.patterns[i].encode("utf-8") for i in literal],
                             ids=literal, elements=len(literal), literal=True)
            self._databases.append((database, hyperscan.Scratch(database)))
        if bounded:
            database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            database.compile(expressions=[self._bounded(i) for i in bounded], ids=bounded,
                             elements=len(bounded))
            self._databases.append((database, hyperscan.Scratch(database)))

    def _bounded(self, index: int) -> bytes:
        body = b"".join(b"\\x%02x" % byte for byte in self.patterns[index].encode("utf-8"))
        left = b"\\b" if self.left_boundary[index] else b""
        right = b"\\b" if self.right_boundary[index] else b""
        return left + body + right

    def find(self, text: str) -> list[tuple[int, int, int]]:
        if not self._databases or not text:
            return []
        hits: list[tuple[int, int]] = []
        data = text.encode("utf-8")
        for database, scratch in self._databases:
            database.scan(data, match_event_handler=_collector(hits), scratch=scratch)
        if not hits:
            return []
        if len(data) == len(text):  # ASCII: bytes are characters
            lengths = self._byte_lengths
            found = [(index, end - lengths[index], end) for index, end in hits]
        else:
            found = self._to_characters(data, hits)
        return [hit for hit in found if self.whole_word(text, *hit)]

    def find_utf8(self, data: bytes) -> list[tuple[int, int, int]]:
        if not self._databases or not data:
            return []
        hits: list[tuple[int, int]] = []
        for database, scratch in self._databases:
            database.scan(data, match_event_handler=_collector(hits), scratch=scratch)
        lengths = self._byte_lengths
        found = []
        for index, end in hits:
            start = end - lengths[index]
            # Word characters are ASCII, and no byte of a multi-byte character is: the edge
            # test on bytes is the edge test on characters.
            if self.left_boundary[index] and start > 0 and data[start - 1] in _WORD_BYTES:
                continue
            if self.right_boundary[index] and end < len(data) and data[end] in _WORD_BYTES:
                continue
            found.append((index, start, end))
        return found

    def _to_characters(self, data: bytes,
                       hits: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """Byte offsets to characters: decode the stretch between one match end and the next."""
        hits.sort(key=lambda hit: hit[1])
        out = []
        last_byte = last_char = 0
        for index, end in hits:
            if end != last_byte:
                last_char += len(data[last_byte:end].decode("utf-8"))
                last_byte = end
            out.append((index, last_char - self._char_lengths[index], last_char))
        return out


def _collector(hits: list[tuple[int, int]]) -> Callable[..., None]:
    append = hits.append

    def on_match(index: int, _start: int, end: int, _flags: int, _context: object) -> None:
        append((index, end))

    return on_match


def _hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


#: Engines by name, fastest first. The one place an engine is registered.
ENGINES: dict[str, type[MatchEngine]] = {
    HyperscanEngine.name: HyperscanEngine,
    AhoCorasickEngine.name: AhoCorasickEngine,
}


def available_engines() -> list[str]:
    """Names of the engines that can run here, fastest first."""
    return [name for name in ENGINES if name != HyperscanEngine.name or _hyperscan_available()]


def build_engine(patterns: Sequence[str], name: str | None = None) -> MatchEngine:
    """The named engine, or the fastest available one."""
    choice = name or available_engines()[0]
    if choice not in ENGINES:
        raise ValueError(f"unknown match engine {choice!r}; choose from {', '.join(ENGINES)}")
    if choice not in available_engines():
        raise ValueError(f"match engine {choice!r} is not installed here")
    return ENGINES[choice](patterns)
