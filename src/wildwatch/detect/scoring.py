"""Turning lexicon evidence into a score and reasons a moderator can read.

The :class:`Scorer` interface is the seam where other scorers plug in (sale intent, a learned
model): the detector finds the evidence once and hands it to whichever scorer it was given.
"""

from __future__ import annotations

import abc
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from wildwatch.detect.verdict import Match
from wildwatch.ingest.post import Post
from wildwatch.lexicon import Lexicon, Term, TermKind

_PRODUCT_KINDS = frozenset({TermKind.PRODUCT, TermKind.PART})
_NAME_KINDS = frozenset({TermKind.SPECIES, TermKind.PRODUCT, TermKind.PART, TermKind.HASHTAG})
_MAX_REASONS = 6


@dataclass(frozen=True, slots=True)
class Evidence:
    """Lexicon terms found in a post, each with the term that produced it."""

    post: Post
    found: list[tuple[Term, Match]]
    normalized_text: str = ""
    """The post's title, text, description and hashtags, normalised, one per line."""


@dataclass(slots=True)
class Assessment:
    """A scorer's answer: score from 0 to 1, the groups it concerns, and why."""

    score: float
    species: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    held: str | None = None
    """Why the verdict may not be ``likely`` whatever its score (a reason in the same form),
    or None: a 'hold' combination rule holds (see :class:`wildwatch.signals.Effect`)."""


class Scorer(abc.ABC):
    """Scores a post from its evidence.

    Why an interface: scoring is where Wildwatch will keep improving (intent signals, a model
    trained on reviewers' decisions) while matching stays put. A scorer must be a pure function of
    the evidence, so batch and single scans agree, and must explain itself in ``reasons``.
    """

    name: str
    version: str | None = None
    """The model's version, recorded on every verdict; None for rule-only scorers."""

    @abc.abstractmethod
    def assess(self, evidence: Evidence) -> Assessment:
        """Score one post that has at least one match."""

    def assess_many(self, evidences: Sequence[Evidence]) -> list[Assessment]:
        """Score a batch; scorers that vectorise (a model) override this."""
        return [self.assess(evidence) for evidence in evidences]


class LexiconScorer(Scorer):
    """Scores from lexicon evidence alone.

    Per species group, the weights of the group's terms combine as independent evidence
    (``1 - prod(1 - w)``): products, parts, code words and hashtags count on their own; species
    names and emoji weakly; associated terms ("skin", "claw", "antique") only beside a name of the
    same group; benign context ("ivory colored") then scales the group down by its weight. The
    post's score is its strongest group's.
    """

    name = "lexicon"

    def __init__(self, lexicon: Lexicon) -> None:
        self._names = {gid: group.name for gid, group in lexicon.groups.items()}

    def assess(self, evidence: Evidence) -> Assessment:
        by_group: dict[str, list[tuple[Term, Match]]] = defaultdict(list)
        for term, match in evidence.found:
            by_group[term.group].append((term, match))
        scored: list[tuple[float, str, list[str]]] = []
        for group, items in by_group.items():
            score, reasons = self._assess_group(group, items)
            if score > 0:
                scored.append((score, group, reasons))
        scored.sort(key=lambda entry: (-entry[0], entry[1]))
        if not scored:
            return Assessment(0.0, [], unscored_reasons(by_group))
        reasons = [reason for _, _, group_reasons in scored for reason in group_reasons]
        return Assessment(round(scored[0][0], 4), [group for _, group, _ in scored],
                          reasons[:_MAX_REASONS])

    def _assess_group(self, group: str, items: list[tuple[Term, Match]]) -> tuple[float, list[str]]:
        name = self._names.get(group, group)
        named = any(term.kind in _NAME_KINDS for term, _ in items)
        keep_out = 1.0
        reasons: list[str] = []
        seen: set[str] = set()
        benign: list[tuple[Term, Match]] = []
        for term, match in sorted(items, key=lambda item: -item[0].weight):
            if term.kind is TermKind.BENIGN:
                benign.append((term, match))
                continue
            if term.kind is TermKind.ASSOCIATED and not named:
                continue
            if term.text in seen:
                continue
            seen.add(term.text)
            keep_out *= 1.0 - term.weight
            reasons.append(lexicon_reason(term, match, name))
        score = 1.0 - keep_out
        if score <= 0:
            return 0.0, []
        for term, match in benign:
            if term.text in seen:
                continue
            seen.add(term.text)
            score *= 1.0 - term.weight
            reasons.append(f"Innocent reading likely: '{match.text}' ({match.field}) "
                           "usually means something else")
        return score, reasons


def unscored_reasons(by_group: dict[str, list[tuple[Term, Match]]]) -> list[str]:
    """Why a post with matches scored nothing: innocent phrases, or words that need a name."""
    benign = sorted({m.text for items in by_group.values() for t, m in items
                     if t.kind is TermKind.BENIGN})
    alone = sorted({m.text for items in by_group.values() for t, m in items
                    if t.kind is not TermKind.BENIGN})
    reasons = []
    if benign:
        reasons.append(f"Innocent reading: {', '.join(benign[:5])}")
    if alone:
        reasons.append("[combo.associated_needs_name] Only words that count beside a species "
                       f"name: {', '.join(alone[:5])}")
    return reasons


def lexicon_reason(term: Term, match: Match, group_name: str) -> str:
    """A lexicon term as a reason: its rule id, what kind of term, where the seller wrote it."""
    where = f"'{match.text}' ({match.field})"
    if term.kind in _PRODUCT_KINDS:
        return f"[lexicon.{term.kind.value}] Names a product of {group_name}: {where}"
    if term.kind is TermKind.CODE_WORD:
        return f"[lexicon.code_word] Uses a code word for {group_name}: {where}"
    if term.kind is TermKind.HASHTAG:
        return f"[lexicon.hashtag] Uses a hashtag seen on {group_name} offers: {where}"
    if term.kind is TermKind.SPECIES:
        return f"[lexicon.species] Names the species ({group_name}): {where}"
    if term.kind is TermKind.EMOJI:
        return f"[lexicon.emoji] Uses an emoji for {group_name}: {where}"
    return f"[lexicon.associated] Mentions {where} beside a name from {group_name}"
