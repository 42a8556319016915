"""Find signals in a post: one Aho-Corasick pass for the phrases, a few compiled regexes.

Everything is compiled once, when the finder is built, on text normalised the way the
detector normalises posts (so "Giá", "GIA" and "giá" are one phrase, 價格 is 价格). A finder
runs only on posts that matched the lexicon, so it is off the scanner's hot path, but it still
avoids per-rule passes: every phrase of every rule sits in one automaton.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from wildwatch.ingest.post import Post
from wildwatch.signals.model import (
    Effect,
    SignalCategory,
    SignalField,
    SignalRule,
    SignalSet,
)
from wildwatch.text import Normalizer

_LOOKBACK = 60
_LOOKAHEAD = 24
_UNSPACED_GAP = 2  # characters allowed between a Chinese or Thai negation cue and the word


class SignalHit(NamedTuple):
    """One rule found in one field of a post (a tuple: thousands are made per batch)."""

    rule: str
    category: SignalCategory
    effect: Effect
    weight: float
    field: SignalField
    text: str
    """What matched, as normalised text."""
    shown: str
    """What matched as a person reads it: the phrase as the rule file writes it, or the text a
    pattern matched."""
    negated: str | None = None
    """The rule the match would have been without the negation before it ("replica.material")."""


@dataclass(frozen=True, slots=True)
class _Phrase:
    form: str
    shown: str
    text_rules: tuple[str, ...]
    bio_rules: tuple[str, ...]
    left_boundary: bool
    right_boundary: bool


def is_unspaced(char: str) -> bool:
    """Scripts written without spaces between words: Chinese, Japanese kana, Thai, Lao, Khmer."""
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x0E00 <= code <= 0x0EFF
            or 0x1780 <= code <= 0x17FF or 0x1000 <= code <= 0x109F or code >= 0x20000
            or 0xFF66 <= code <= 0xFF9F)


def _is_word(char: str) -> bool:
    return (char.isalnum() or char == "_") and not is_unspaced(char)


class SignalFinder:
    """Finds the rules of a :class:`SignalSet` in normalised post text and seller bios.

    ``normalizer`` must be the detector's (``detector.normalizer``): phrases are normalised
    with it so that they meet the post text in the same form.
    """

    def __init__(self, signals: SignalSet, normalizer: Normalizer) -> None:
        self.signals = signals
        self.normalizer = normalizer
        self._rules = signals.rules
        self._automaton = self._build_automaton()
        self._patterns = self._build_patterns()
        self._price_rules = [rule for rule in signals.rules.values()
                             if SignalField.PRICE in rule.fields]
        self._before, self._before_unspaced, self._after = self._build_negation()

    def find(self, text: str, bio: str = "", price: float | None = None) -> list[SignalHit]:
        """Signals in already normalised ``text`` and ``bio``, and the price field."""
        hits: dict[tuple[str, SignalField, str], SignalHit] = {}
        if text:
            self._scan(text, SignalField.TEXT, hits)
        if bio:
            self._scan(bio, SignalField.BIO, hits)
        if price is not None and price > 0:
            for rule in self._price_rules:
                shown = _price_text(price)
                hits[(rule.id, SignalField.PRICE, "")] = SignalHit(
                    rule.id, rule.category, rule.effect, rule.weight, SignalField.PRICE,
                    shown, shown)
        return sorted(hits.values(), key=lambda hit: (-hit.weight, hit.rule, hit.text))

    def find_post(self, post: Post, normalized_text: str | None = None) -> list[SignalHit]:
        """Signals in one post; normalises what it is not given."""
        return self.find_many([post], [normalized_text])[0]

    def find_many(self, posts: Sequence[Post],
                  normalized_texts: Sequence[str | None]) -> list[list[SignalHit]]:
        """Signals in many posts, normalising all missing texts and all bios in one batch."""
        texts, bios = self.normalize_many(posts, normalized_texts)
        return [self.find(text, bio, post.price)
                for post, text, bio in zip(posts, texts, bios, strict=True)]

    def normalize_many(self, posts: Sequence[Post], normalized_texts: Sequence[str | None]
                       ) -> tuple[list[str], list[str]]:
        """Each post's normalised text (the one given, or its fields normalised) and bio."""
        segments: list[str] = []
        for post, text in zip(posts, normalized_texts, strict=True):
            if text is None:
                segments.append(" | ".join(_one_line(part) for part in
                                           (post.title, post.text, post.description,
                                            *post.hashtags) if part))
            bio = post.seller.bio if post.seller is not None and post.seller.bio else ""
            segments.append(_one_line(bio))
        normalised = self.normalizer.normalize_batch(segments).split("\n") if segments else []
        texts: list[str] = []
        bios: list[str] = []
        at = 0
        for text in normalized_texts:
            if text is None:
                text = normalised[at]
                at += 1
            texts.append(text)
            bios.append(normalised[at])
            at += 1
        return texts, bios

    def _scan(self, text: str, field: SignalField, hits: dict[tuple[str, SignalField, str],
                                                              SignalHit]) -> None:
        last = len(text)
        seen: set[tuple[str, SignalField]] = set()
        for end, phrase in self._automaton.iter(text):
            start = end + 1 - len(phrase.form)
            if phrase.left_boundary and start > 0 and _is_word(text[start - 1]):
                continue
            if phrase.right_boundary and end + 1 < last and _is_word(text[end + 1]):
                continue
            rule_ids = phrase.text_rules if field is SignalField.TEXT else phrase.bio_rules
            for rule_id in rule_ids:
                rule = self._rules[rule_id]
                if rule.negated_as is None and (rule_id, field) in seen:
                    continue  # a rule counts once per field; its first match is shown
                seen.add((rule_id, field))
                self._add(rule, field, text, start, end + 1, phrase.shown, hits)
        for rule, pattern in self._patterns:
            if field not in rule.fields or (rule.id, field) in seen:
                continue
            match = pattern.search(text)
            if match is not None:
                seen.add((rule.id, field))
                self._add(rule, field, text, match.start(), match.end(), match.group(), hits)

    def _add(self, rule: SignalRule, field: SignalField, text: str, start: int, end: int,
             shown: str, hits: dict[tuple[str, SignalField, str], SignalHit]) -> None:
        matched = text[start:end]
        negated: str | None = None
        if rule.negated_as is not None and self._is_negated(text, start, end):
            negated, rule = rule.id, self._rules[rule.negated_as]
        key = (rule.id, field, matched)
        if key not in hits:
            hits[key] = SignalHit(rule.id, rule.category, rule.effect, rule.weight, field,
                                  matched, shown, negated)

    def _is_negated(self, text: str, start: int, end: int) -> bool:
        before = text[max(0, start - _LOOKBACK):start]
        if self._before is not None and self._before.search(before):
            return True
        if self._before_unspaced is not None and self._before_unspaced.search(before):
            return True
        return self._after is not None and bool(self._after.match(text, end,
                                                                   end + _LOOKAHEAD))

    def _build_automaton(self) -> ahocorasick.Automaton:
        by_form: dict[str, tuple[list[str], list[str]]] = {}
        shown: dict[str, str] = {}
        originals: list[str] = []
        owners: list[SignalRule] = []
        for rule in self._rules.values():
            for items in rule.phrases.values():
                for phrase in items:
                    originals.append(phrase)
                    owners.append(rule)
        forms = (self.normalizer.normalize_batch([_one_line(p) for p in originals],
                                                 expand_hashtags=False).split("\n")
                 if originals else [])
        for rule, form, original in zip(owners, forms, originals, strict=True):
            form = form.strip()
            if not form:
                continue
            text_rules, bio_rules = by_form.setdefault(form, ([], []))
            shown.setdefault(form, original)
            if SignalField.TEXT in rule.fields and rule.id not in text_rules:
                text_rules.append(rule.id)
            if SignalField.BIO in rule.fields and rule.id not in bio_rules:
                bio_rules.append(rule.id)
        automaton = ahocorasick.Automaton()
        for form, (text_rules, bio_rules) in by_form.items():
            automaton.add_word(form, _Phrase(form, shown[form], tuple(text_rules),
                                             tuple(bio_rules),
                                             _is_word(form[0]), _is_word(form[-1])))
        if by_form:
            automaton.make_automaton()
        return automaton

    def _build_patterns(self) -> list[tuple[SignalRule, re.Pattern[str]]]:
        # One regex per pattern, not one alternation per rule: a pattern that starts with a
        # literal or a character class lets the regex engine skip to candidate positions.
        return [(rule, re.compile(pattern)) for rule in self._rules.values()
                for items in rule.patterns.values() for pattern in items]

    def _build_negation(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None,
                                       re.Pattern[str] | None]:
        negation = self.signals.negation
        before = [cue for items in negation.before.values() for cue in items]
        after = [cue for items in negation.after.values() for cue in items]
        forms = self.normalizer.normalize_batch([*before, *after] or [""],
                                                expand_hashtags=False).split("\n")
        before_forms = sorted({f.strip() for f in forms[:len(before)] if f.strip()},
                              key=len, reverse=True)
        after_forms = sorted({f.strip() for f in forms[len(before):] if f.strip()},
                             key=len, reverse=True)
        spaced = [f for f in before_forms if not is_unspaced(f[-1])]
        unspaced = [f for f in before_forms if is_unspaced(f[-1])]
        window = negation.window
        before_re = (re.compile(r"(?:^|[^\w])(?:" + "|".join(map(re.escape, spaced))
                                + r")(?:[^\w]+\w+){0," + str(window) + r"}[^\w]*$")
                     if spaced else None)
        unspaced_re = (re.compile("(?:" + "|".join(map(re.escape, unspaced)) + r")\s*.{0,"
                                  + str(_UNSPACED_GAP) + "}$") if unspaced else None)
        after_re = (re.compile(r"\s*(?:" + "|".join(map(re.escape, after_forms)) + ")")
                    if after_forms else None)
        return before_re, unspaced_re, after_re


# Every character str.splitlines() breaks on: a segment must stay one line in a batch.
_LINE_BREAKS = str.maketrans({c: " " for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def _one_line(text: str) -> str:
    return text.translate(_LINE_BREAKS)


def _price_text(price: float) -> str:
    return f"{price:g}"
