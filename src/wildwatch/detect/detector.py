"""The detector: posts in, verdicts out, in batches, with evidence a person can check."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wildwatch.detect.engines import MatchEngine, build_engine
from wildwatch.detect.scorers import DEFAULT_SCORER, build_scorer
from wildwatch.detect.scoring import Assessment, Evidence, LexiconScorer, Scorer
from wildwatch.detect.verdict import Level, Match, Verdict
from wildwatch.ingest.post import Post, post_from_mapping
from wildwatch.lexicon import Lexicon, Term, TermKind, load_lexicon
from wildwatch.text import Normalizer, Traced

#: Posts normalised and matched together; large enough to amortise per-call costs.
DEFAULT_BATCH = 2048
DEFAULT_FLAG_THRESHOLD = 0.5
#: Above this a verdict is ``likely``: eligible for automatic action where policy allows.
DEFAULT_LIKELY_THRESHOLD = 0.9
_FIELDS = ("title", "text", "description")
_SEGMENTS = len(_FIELDS) + 1  # and the hashtags
_TITLE, _TEXT, _DESCRIPTION = (operator.attrgetter(field) for field in _FIELDS)
_HASHTAGS = operator.attrgetter("hashtags")
_BARE_TAG = re.compile(r"(?:^|(?<= ))[^#\s]", re.MULTILINE)  # a tag sent without its '#'

_EMPTY = np.empty(0, dtype=np.int64)
_HASHTAG_WORD_KINDS = frozenset({TermKind.SPECIES, TermKind.PRODUCT, TermKind.PART,
                                 TermKind.CODE_WORD})
_MIN_HASHTAG_WORD = 4


@dataclass(frozen=True, slots=True)
class CompiledLexicon:
    """The lexicon as the matcher sees it: distinct normalised patterns and their terms."""

    lexicon: Lexicon
    normalizer: Normalizer
    patterns: list[str]
    terms: list[list[Term]]
    """``terms[i]``: the lexicon terms, at most one per group, that pattern ``i`` stands for."""
    skipped: list[Term]
    """Terms whose text normalises to nothing (an emoji variation selector alone, say)."""


def compile_lexicon(lexicon: Lexicon) -> CompiledLexicon:
    """Normalise every term once and group terms that become the same pattern."""
    plain = Normalizer()
    texts = [term.text for term in lexicon.terms]
    plain_forms = plain.normalize_batch(texts, expand_hashtags=False).split("\n")
    vocabulary = {word for form in plain_forms for word in form.split() if word.isalpha()}
    # Words and phrases worth finding inside a hashtag: terms that name something on their
    # own, long enough not to turn up by chance inside ordinary tags ("#share" holds "hare",
    # "#chair" "hair").
    hashtag_words = {
        form
        for term, form in zip(lexicon.terms, plain_forms, strict=True)
        if term.kind in _HASHTAG_WORD_KINDS and form.replace(" ", "").isalpha()
        and len(form.replace(" ", "")) >= _MIN_HASHTAG_WORD
    }
    normalizer = Normalizer(vocabulary, hashtag_words)
    forms = normalizer.normalize_batch(texts, expand_hashtags=False).split("\n")
    index: dict[str, int] = {}
    patterns: list[str] = []
    terms: list[list[Term]] = []
    skipped: list[Term] = []
    for term, form in zip(lexicon.terms, forms, strict=True):
        form = form.strip()
        if not form:
            skipped.append(term)
            continue
        if form not in index:
            index[form] = len(patterns)
            patterns.append(form)
            terms.append([])
        bucket = terms[index[form]]
        if all(other.group != term.group for other in bucket):
            bucket.append(term)
    return CompiledLexicon(lexicon, normalizer, patterns, terms, skipped)


class Detector:
    """Scans posts against the lexicon and scores them.

    ``Detector.default()`` uses the shipped lexicon and the fastest matcher available here.
    Build one per process and reuse it: compiling the lexicon is the slow part.
    """

    def __init__(self, lexicon: Lexicon, *, scorer: Scorer | None = None,
                 engine: str | None = None,
                 flag_threshold: float = DEFAULT_FLAG_THRESHOLD,
                 likely_threshold: float = DEFAULT_LIKELY_THRESHOLD) -> None:
        self.lexicon = lexicon
        self.compiled = compile_lexicon(lexicon)
        self.engine: MatchEngine = build_engine(self.compiled.patterns, engine)
        self.scorer = scorer if scorer is not None else LexiconScorer(lexicon)
        if not 0 <= flag_threshold <= likely_threshold <= 1:
            raise ValueError("thresholds must satisfy 0 <= flag_threshold <= likely_threshold "
                             f"<= 1, not {flag_threshold} and {likely_threshold}")
        self.flag_threshold = flag_threshold
        self.likely_threshold = likely_threshold
        self._version = lexicon.version

    @classmethod
    def default(cls, lexicon_dir: Path | str | None = None, *, scorer: str = DEFAULT_SCORER,
                model_path: Path | None = None, **options: Any) -> Detector:
        """A detector on the shipped lexicon (or the one in ``lexicon_dir``) with a scorer by
        name (see :data:`wildwatch.detect.scorers.SCORERS`) at its calibrated thresholds;
        ``model_path``: the ``model`` scorer's file instead of the shipped one."""
        lexicon = load_lexicon(lexicon_dir)
        chosen, thresholds = build_scorer(scorer, lexicon, model_path=model_path)
        if thresholds is not None:
            options.setdefault("flag_threshold", thresholds[0])
            options.setdefault("likely_threshold", thresholds[1])
        return cls(lexicon, scorer=chosen, **options)

    @property
    def normalizer(self) -> Normalizer:
        return self.compiled.normalizer

    def scan(self, post: Post | Mapping[str, Any]) -> Verdict:
        """Scan one post (a :class:`Post` or a mapping with at least an ``id``)."""
        return self.scan_batch([post])[0]

    def scan_many(self, posts: Iterable[Post | Mapping[str, Any]],
                  batch_size: int = DEFAULT_BATCH) -> Iterator[Verdict]:
        """Scan a stream of posts lazily, a batch at a time, in order."""
        iterator = iter(posts)
        while batch := list(islice(iterator, batch_size)):
            yield from self.scan_batch(batch)

    def scan_batch(self, posts: Sequence[Post | Mapping[str, Any]]) -> list[Verdict]:
        """Scan posts together: one normalisation and one matcher pass for the whole batch."""
        return [verdict for verdict, _ in self.scan_assessed(posts)]

    def scan_assessed(self, posts: Sequence[Post | Mapping[str, Any]]
                      ) -> list[tuple[Verdict, Assessment | None]]:
        """As :meth:`scan_batch`, with the scorer's assessment beside each verdict (None where
        no term matched): evaluation needs what a verdict does not say, such as whether a
        'hold' rule applies to a post scored below the ``likely`` threshold."""
        checked = [p if isinstance(p, Post) else post_from_mapping(p) for p in posts]
        # Four segments a post: title, text, description, and its hashtags on one line.
        segments: list[str] = [""] * (len(checked) * _SEGMENTS)
        segments[0::_SEGMENTS] = map(_TITLE, checked)
        segments[1::_SEGMENTS] = map(_TEXT, checked)
        segments[2::_SEGMENTS] = map(_DESCRIPTION, checked)
        segments[3::_SEGMENTS] = _hashtag_lines(checked)
        text = self.normalizer.normalize_batch(segments)
        hits = self.engine.find(text)
        found: dict[int, list[tuple[Term, Match]]] = {}
        segment_starts = _EMPTY
        if hits:
            # Segments are joined by the only newlines the normalised text has.
            newlines = np.flatnonzero(np.frombuffer(text.encode("utf-32-le"), np.uint32) == 10)
            segment_starts = np.concatenate(([0], newlines + 1))
            where = np.searchsorted(newlines, [start for _, start, _ in hits]).tolist()
            matched = sorted(set(where))
            traced: dict[int, Traced] = dict(zip(
                matched, self.normalizer.trace_many([segments[i] for i in matched]), strict=True))
            for (pattern, start, end), segment in zip(hits, where, strict=True):
                shift = int(segment_starts[segment])
                origin_start, origin_end = traced[segment].span(start - shift, end - shift)
                owner, kind = divmod(segment, _SEGMENTS)
                post = checked[owner]
                field, value, start_in_field = _field_of(post, kind, origin_start)
                local_start = max(origin_start - start_in_field, 0)
                local_end = origin_end - start_in_field
                for term in self.compiled.terms[pattern]:
                    match = Match(term.text, term.kind.value, term.group, field, local_start,
                                  local_end, value[local_start:local_end])
                    found.setdefault(owner, []).append((term, match))
        for owner, items in found.items():
            found[owner] = _outermost(items)
        evidences = [
            Evidence(checked[owner], items, _post_text(text, segment_starts, owner))
            for owner, items in found.items()
        ]
        assessments = dict(zip(found, self.scorer.assess_many(evidences), strict=True))
        out: list[tuple[Verdict, Assessment | None]] = []
        for position, post in enumerate(checked):
            assessment = assessments.get(position)
            if assessment is None:
                out.append((Verdict(post.id, 0.0, False, lexicon_version=self._version,
                                    scorer=self.scorer.name, model_version=self.scorer.version,
                                    platform=post.platform, lang=post.lang, extra=post.extra),
                            None))
            else:
                out.append((self._judge(post, [m for _, m in found[position]], assessment),
                            assessment))
        return out

    def level(self, score: float) -> Level:
        """The operating point a score reaches."""
        if score >= self.likely_threshold:
            return Level.LIKELY
        if score >= self.flag_threshold:
            return Level.REVIEW
        return Level.CLEAR

    def _judge(self, post: Post, matches: list[Match], assessment: Assessment) -> Verdict:
        level = self.level(assessment.score)
        reasons = assessment.reasons
        if level is Level.LIKELY and assessment.held is not None:
            level = Level.REVIEW  # a 'hold' rule: review, not automatic action
            reasons = [*reasons, assessment.held]
        return Verdict(
            post.id, assessment.score, level is not Level.CLEAR, level=level,
            species=assessment.species, matches=matches, reasons=reasons,
            lexicon_version=self._version, scorer=self.scorer.name,
            model_version=self.scorer.version, platform=post.platform, lang=post.lang,
            extra=post.extra,
        )


def _hashtag_lines(posts: list[Post]) -> list[str]:
    """Each post's hashtags as one segment, each tag with its '#': ``#a #b``."""
    lines = list(map(" ".join, map(_HASHTAGS, posts)))  # in C: the usual case needs no more
    if _BARE_TAG.search("\n".join(lines)):
        lines = [" ".join(t if t.startswith("#") else "#" + t for t in post.hashtags)
                 for post in posts]
    return lines


def _post_text(text: str, segment_starts: npt.NDArray[np.int64], owner: int) -> str:
    """One post's normalised text, its segments joined by newlines."""
    first = owner * _SEGMENTS
    after = first + _SEGMENTS
    end = int(segment_starts[after]) - 1 if after < len(segment_starts) else None
    return text[int(segment_starts[first]):end]


def _field_of(post: Post, kind: int, position: int) -> tuple[str, str, int]:
    """The field a match at ``position`` of segment ``kind`` is in: its name, its text, and
    where it starts in the segment."""
    if kind < len(_FIELDS):
        field = _FIELDS[kind]
        return field, getattr(post, field), 0
    start = 0
    for index, tag in enumerate(post.hashtags):
        shown = tag if tag.startswith("#") else "#" + tag
        if position < start + len(shown):
            # Offsets count in the tag as sent: without the '#' we added, if we added one.
            return f"hashtags[{index}]", tag, start + len(shown) - len(tag)
        start += len(shown) + 1
    last = len(post.hashtags) - 1
    return f"hashtags[{last}]", post.hashtags[last], start - 1 - len(post.hashtags[last])


def _outermost(found: list[tuple[Term, Match]]) -> list[tuple[Term, Match]]:
    """Drop a match that lies inside a longer match of the same group ("ivory" in
    "ivory colored"), or inside any benign phrase ("bone" in "bone china"): the longer phrase
    is the better reading."""
    ordered = sorted(found, key=lambda item: (item[1].field, item[1].start, -item[1].end,
                                              item[0].kind is TermKind.BENIGN))
    kept: list[tuple[Term, Match]] = []
    for term, match in ordered:
        inside = any(
            (other.group == term.group or other_term.kind is TermKind.BENIGN)
            and other.field == match.field
            and other.start <= match.start and match.end <= other.end
            and (other.start, other.end) != (match.start, match.end)
            for other_term, other in kept
        )
        duplicate = any(other.group == term.group and other.field == match.field
                        and (other.start, other.end) == (match.start, match.end)
                        for _, other in kept)
        if not inside and not duplicate:
            kept.append((term, match))
    return kept
