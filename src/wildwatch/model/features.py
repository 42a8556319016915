"""What the model sees of a post: the rules' evidence as named numbers, and hashed n-grams.

Dense features (all from 0 to 1), for the post's strongest species group:

* ``lex.*``: the lexicon terms that count (strongest weight per term kind, how many, benign);
* ``rules.score``: the rule-only score (:class:`~wildwatch.signals.RuleScorer`);
* ``text.CATEGORY`` and ``bio.CATEGORY``: per signal category, ``1 - prod(1 - weight)`` over the
  distinct rules found in the post (and price field) or in the seller's bio;
* one per weighted combination rule id (``combo.*``): 1 where it holds.

Sparse features: character 2- to 4-grams of the normalised post text and, in their own buckets,
of the normalised bio, with links and mentions masked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from wildwatch.lexicon import TermKind
from wildwatch.signals import Effect, PostEvidence, SignalCategory, SignalField, SignalSet

_LINK = re.compile(r"\{\{url\}\}|(?:h?tt?ps?://|www\.)\S+")
_MENTION = re.compile(r"\{\{mention\}\}|(?<![\w@])@\w+")
_EMAIL = re.compile(r"\{\{email\}\}|\S+@\S+\.\w+")

LEXICON_FEATURES: tuple[str, ...] = (
    "lex.score", "lex.product", "lex.code_word", "lex.hashtag", "lex.species", "lex.emoji",
    "lex.associated", "lex.benign", "lex.terms", "lex.groups", "rules.score",
)
_KIND_FEATURES = {
    "lex.product": frozenset({TermKind.PRODUCT, TermKind.PART}),
    "lex.code_word": frozenset({TermKind.CODE_WORD}),
    "lex.hashtag": frozenset({TermKind.HASHTAG}),
    "lex.species": frozenset({TermKind.SPECIES}),
    "lex.emoji": frozenset({TermKind.EMOJI}),
    "lex.associated": frozenset({TermKind.ASSOCIATED}),
}


def dense_feature_names(signals: SignalSet) -> list[str]:
    """The dense features, in order, for this signal set."""
    names = list(LEXICON_FEATURES)
    names += [f"text.{category.value}" for category in SignalCategory]
    names += [f"bio.{category.value}" for category in SignalCategory]
    names += [combo.id for combo in signals.combinations
              if combo.effect in (Effect.RAISE, Effect.LOWER)]
    return names


def mask_text(text: str) -> str:
    """Links, mentions and e-mail addresses as placeholders: their letters say nothing."""
    # Each pattern runs only where the characters it needs are present (most posts hold a
    # link and nothing else): the same result, a third of the regex passes.
    if "{{url}}" in text or "://" in text or "www." in text:
        text = _LINK.sub(" <link> ", text)
    if "@" in text or "{{" in text:
        text = _EMAIL.sub(" <email> ", text)
        text = _MENTION.sub(" <at> ", text)
    return text


def dense_features(posts: Sequence[PostEvidence], names: Sequence[str]
                   ) -> npt.NDArray[np.float64]:
    """One row of dense features per post, columns in the order of ``names``.

    A name this code does not know (a combination rule since removed from the signals) stays 0.
    """
    column = {name: position for position, name in enumerate(names)}
    out = np.zeros((len(posts), len(names)), dtype=np.float64)
    for row, post in enumerate(posts):
        for name, value in _features(post).items():
            position = column.get(name)
            if position is not None:
                out[row, position] = value
    return out


def _features(post: PostEvidence) -> dict[str, float]:
    values: dict[str, float] = {}
    if post.groups:
        top = post.groups[0]
        values["lex.score"] = top.lexicon_score
        for name, kinds in _KIND_FEATURES.items():
            values[name] = top.strongest(kinds)
        values["lex.benign"] = max((t.weight for t, _ in top.benign), default=0.0)
        values["lex.terms"] = min(math.log1p(len(top.terms)) / math.log(8), 1.0)
        values["lex.groups"] = min((len(post.groups) - 1) / 2, 1.0)
        values["rules.score"] = top.score
        for combo in top.combinations:
            values[combo.id] = 1.0
    keep: dict[str, float] = {}
    strongest: dict[tuple[str, str], float] = {}
    for hit in post.hits:
        prefix = "bio" if hit.field is SignalField.BIO else "text"
        key = (prefix, hit.rule)
        if hit.weight > strongest.get(key, 0.0):
            strongest[key] = hit.weight
    categories = {hit.rule: hit.category for hit in post.hits}
    for (prefix, rule), weight in strongest.items():
        name = f"{prefix}.{categories[rule].value}"
        keep[name] = keep.get(name, 1.0) * (1.0 - weight)
    for name, kept in keep.items():
        values[name] = 1.0 - kept
    return values
