"""Lexicon evidence, signals and combination rules, weighed per species group.

:class:`RuleEngine` is shared: the rule-only :class:`RuleScorer` turns its answer into a score
directly, and the learned model (:mod:`wildwatch.model`) uses the same answer as features. So a
rule id a moderator sees in ``reasons`` means the same thing whichever scorer produced it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from wildwatch.detect.scoring import Assessment, Evidence, Scorer, lexicon_reason, unscored_reasons
from wildwatch.detect.verdict import Match
from wildwatch.lexicon import Lexicon, Term, TermKind
from wildwatch.signals.finder import SignalFinder, SignalHit
from wildwatch.signals.loader import load_signals
from wildwatch.signals.model import (
    Atom,
    CombinationRule,
    Effect,
    SignalField,
    SignalSet,
)
from wildwatch.text import Normalizer

#: A signal in the seller's bio counts this much of its weight: it is about the seller, not
#: about this post.
BIO_FACTOR = 0.5
_MAX_REASONS = 6


@dataclass(slots=True)
class GroupEvidence:
    """What the rules make of one species group in one post."""

    group: str
    name: str
    terms: list[tuple[Term, Match]]
    """Terms that count (not benign, not dropped by a 'require' rule), strongest first."""
    benign: list[tuple[Term, Match]]
    dropped: list[tuple[Term, Match, str]]
    """Terms a 'require' combination rule set aside, with that rule's id."""
    lexicon_score: float
    """The terms alone: ``1 - prod(1 - weight)``, scaled down by benign terms."""
    combinations: list[CombinationRule] = field(default_factory=list)
    """Raise and lower combination rules that hold."""
    held: CombinationRule | None = None
    """The first 'hold' combination rule that holds: the verdict may not be ``likely``."""
    score: float = 0.0
    """Lexicon, signals and combinations together (the rule-only score)."""

    def strongest(self, kinds: frozenset[TermKind]) -> float:
        return max((term.weight for term, _ in self.terms if term.kind in kinds), default=0.0)


@dataclass(slots=True)
class PostEvidence:
    """Everything the rules found in one post."""

    groups: list[GroupEvidence]
    """Groups with a positive score, strongest first."""
    hits: list[SignalHit]
    ignored: list[str] = field(default_factory=list)
    """Why nothing counted, when ``groups`` is empty."""
    text: str = ""
    """The post's normalised text."""
    bio: str = ""
    """The seller's bio, normalised."""

    @property
    def score(self) -> float:
        return self.groups[0].score if self.groups else 0.0


class RuleEngine:
    """Weighs lexicon terms, signals and combination rules.

    Per group: the counted terms combine as independent evidence; raising signals (text and
    price at full weight, the bio at :data:`BIO_FACTOR`) and raising combinations join them the
    same way; then benign terms, lowering signals and lowering combinations each scale the
    result down by their weight. A signal rule counts once however often it matches.
    """

    def __init__(self, lexicon: Lexicon, signals: SignalSet, normalizer: Normalizer) -> None:
        self.lexicon = lexicon
        self.signals = signals
        self.finder = SignalFinder(signals, normalizer)
        self._names = {gid: group.name for gid, group in lexicon.groups.items()}
        self._normalizer = normalizer
        texts = sorted({term.text.replace("\n", " ") for term in lexicon.terms})
        forms = normalizer.normalize_batch(texts, expand_hashtags=False).split("\n")
        self._forms: dict[str, str] = dict(zip(texts, forms, strict=True))
        self._requires = [c for c in signals.combinations if c.effect is Effect.REQUIRE]
        self._weighted = [c for c in signals.combinations
                          if c.effect in (Effect.RAISE, Effect.LOWER)]
        self._holds = [c for c in signals.combinations if c.effect is Effect.HOLD]

    def weigh_many(self, evidences: Sequence[Evidence]) -> list[PostEvidence]:
        """The rules' view of each post, normalising all seller bios in one batch."""
        texts, bios = self.finder.normalize_many([e.post for e in evidences],
                                                 [e.normalized_text or None for e in evidences])
        out = []
        for evidence, text, bio in zip(evidences, texts, bios, strict=True):
            hits = self.finder.find(text, bio, evidence.post.price)
            post = self.weigh(evidence, hits)
            post.text, post.bio = text, bio
            out.append(post)
        return out

    def weigh(self, evidence: Evidence, hits: list[SignalHit]) -> PostEvidence:
        by_group: dict[str, list[tuple[Term, Match]]] = defaultdict(list)
        for term, match in evidence.found:
            by_group[term.group].append((term, match))
        hits = self._inside_terms_dropped(evidence, hits)
        post_categories = {h.category.value for h in hits if h.field is not SignalField.BIO}
        bio_categories = {h.category.value for h in hits if h.field is SignalField.BIO}
        raise_keep, lower_keep = _signal_factors(hits)
        groups = []
        for group, items in by_group.items():
            found = self._group(group, items, post_categories, bio_categories)
            if found.lexicon_score <= 0:
                continue
            keep_out = (1.0 - found.lexicon_score) * raise_keep
            keep_in = lower_keep
            for combo in found.combinations:
                if combo.effect is Effect.RAISE:
                    keep_out *= 1.0 - combo.weight
                else:
                    keep_in *= 1.0 - combo.weight
            found.score = round((1.0 - keep_out) * keep_in, 4)
            groups.append(found)
        groups.sort(key=lambda g: (-g.score, g.group))
        ignored = [] if groups else unscored_reasons(by_group)
        return PostEvidence(groups, hits, ignored)

    def _inside_terms_dropped(self, evidence: Evidence,
                              hits: list[SignalHit]) -> list[SignalHit]:
        """Drop lowering signals that are part of a term the lexicon matched: "plastic" in the
        code word "white plastic" is not a stated modern material."""
        lowering = [h for h in hits if h.effect is Effect.LOWER and h.field is SignalField.TEXT]
        if not lowering:
            return hits
        forms = [self._form(term.text) for term, _ in evidence.found
                 if term.kind is not TermKind.BENIGN]
        inside = {id(h) for h in lowering if any(h.text in form for form in forms)}
        return [h for h in hits if id(h) not in inside] if inside else hits

    def _form(self, text: str) -> str:
        form = self._forms.get(text)
        if form is None:
            form = self._normalizer.normalize(text, expand_hashtags=False)
            self._forms[text] = form
        return form

    def _group(self, group: str, items: list[tuple[Term, Match]], post_categories: set[str],
               bio_categories: set[str]) -> GroupEvidence:
        benign = [(t, m) for t, m in items if t.kind is TermKind.BENIGN]
        counted = [(t, m) for t, m in items if t.kind is not TermKind.BENIGN]
        dropped: list[tuple[Term, Match, str]] = []
        for rule in self._requires:
            kinds = {t.kind.value for t, _ in counted if t.kind.value not in rule.terms}
            if _holds(rule, kinds, post_categories, bio_categories):
                continue
            dropped += [(t, m, rule.id) for t, m in counted if t.kind.value in rule.terms]
            counted = [(t, m) for t, m in counted if t.kind.value not in rule.terms]
        seen: set[str] = set()
        distinct = []
        for term, match in sorted(counted, key=lambda item: -item[0].weight):
            if term.text not in seen:
                seen.add(term.text)
                distinct.append((term, match))
        keep_out = 1.0
        for term, _ in distinct:
            keep_out *= 1.0 - term.weight
        score = 1.0 - keep_out
        benign_seen: set[str] = set()
        for term, _ in benign:
            if term.text not in benign_seen:
                benign_seen.add(term.text)
                score *= 1.0 - term.weight
        found = GroupEvidence(group, self._names.get(group, group), distinct, benign, dropped,
                              score)
        kinds = {t.kind.value for t, _ in distinct}
        found.combinations = [rule for rule in self._weighted
                              if _holds(rule, kinds, post_categories, bio_categories)]
        found.held = next((rule for rule in self._holds
                           if _holds(rule, kinds, post_categories, bio_categories)), None)
        return found

    def reasons(self, post: PostEvidence, limit: int = _MAX_REASONS) -> list[str]:
        """The rule-only explanation, strongest evidence first."""
        if not post.groups:
            return post.ignored[:limit]
        top = post.groups[0]
        out = [lexicon_reason(term, match, top.name) for term, match in top.terms[:2]]
        raising = [h for h in post.hits if h.effect is Effect.RAISE]
        lowering = [h for h in post.hits if h.effect is Effect.LOWER]
        out += [signal_reason(self.signals, hit) for hit in _distinct_rules(raising)[:2]]
        out += [combination_reason(c) for c in top.combinations if c.effect is Effect.RAISE][:1]
        out += [signal_reason(self.signals, hit) for hit in _distinct_rules(lowering)[:2]]
        out += [combination_reason(c) for c in top.combinations if c.effect is Effect.LOWER][:1]
        out += [benign_reason(term, match) for term, match in top.benign[:1]]
        return out[:limit]


class RuleScorer(Scorer):
    """The rule-only scorer: lexicon, signals and combination rules, no learned model.

    The reference the model is measured against, and a fallback that needs no model file.
    """

    name = "rules"

    def __init__(self, lexicon: Lexicon, normalizer: Normalizer,
                 signals: SignalSet | None = None) -> None:
        self.engine = RuleEngine(lexicon, signals or load_signals(), normalizer)
        self.version = f"rules-{self.engine.signals.version}"

    def assess(self, evidence: Evidence) -> Assessment:
        return self.assess_many([evidence])[0]

    def assess_many(self, evidences: Sequence[Evidence]) -> list[Assessment]:
        out = []
        for post in self.engine.weigh_many(evidences):
            out.append(Assessment(post.score, [g.group for g in post.groups],
                                  self.engine.reasons(post), held_reason(post)))
        return out


def _holds(rule: CombinationRule, kinds: set[str], post_categories: set[str],
           bio_categories: set[str]) -> bool:
    def atom_holds(atom: Atom) -> bool:
        present = (kinds if atom.scope == "term" else
                   bio_categories if atom.scope == "bio" else post_categories)
        return not atom.values.isdisjoint(present)

    return all(map(atom_holds, rule.when)) and not any(map(atom_holds, rule.unless))


def _signal_factors(hits: list[SignalHit]) -> tuple[float, float]:
    """``prod(1 - w)`` over raising and over lowering rules, each rule counted once (its
    strongest field)."""
    strongest: dict[str, tuple[float, SignalHit]] = {}
    for hit in hits:
        weight = hit.weight * (BIO_FACTOR if hit.field is SignalField.BIO else 1.0)
        if weight > strongest.get(hit.rule, (-1.0, hit))[0]:
            strongest[hit.rule] = (weight, hit)
    raise_keep = lower_keep = 1.0
    for weight, hit in strongest.values():
        if hit.effect is Effect.RAISE:
            raise_keep *= 1.0 - weight
        else:
            lower_keep *= 1.0 - weight
    return raise_keep, lower_keep


def _distinct_rules(hits: list[SignalHit]) -> list[SignalHit]:
    seen: set[str] = set()
    out = []
    for hit in sorted(hits, key=lambda h: (h.field is SignalField.BIO, -h.weight)):
        if hit.rule not in seen:
            seen.add(hit.rule)
            out.append(hit)
    return out


def benign_reason(term: Term, match: Match) -> str:
    return (f"[lexicon.benign] Innocent reading likely: '{match.text}' ({match.field}) usually "
            "means something else")


def signal_reason(signals: SignalSet, hit: SignalHit) -> str:
    """A signal as a reason: its rule id, what the rule means, what matched and where."""
    rule = signals.rules[hit.rule]
    where = " in the seller's bio" if hit.field is SignalField.BIO else (
        " (price field)" if hit.field is SignalField.PRICE else "")
    negated = f", negated '{hit.negated}'" if hit.negated else ""
    return f"[{hit.rule}] {rule.says}: '{hit.shown}'{where}{negated}"


def combination_reason(rule: CombinationRule) -> str:
    return f"[{rule.id}] {rule.says}"


def held_reason(post: PostEvidence) -> str | None:
    """The reason a 'hold' rule keeps the post from ``likely``, or None."""
    rule = post.groups[0].held if post.groups else None
    return combination_reason(rule) if rule is not None else None
