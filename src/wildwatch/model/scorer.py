"""The learned scorer: the rules' evidence and the post's wording through a calibrated model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from wildwatch.detect.scoring import Assessment, Evidence, Scorer, lexicon_reason
from wildwatch.lexicon import Lexicon, TermKind
from wildwatch.model.artifact import RiskModel, load_model
from wildwatch.model.features import dense_feature_names, dense_features, mask_text
from wildwatch.signals import (
    PostEvidence,
    RuleEngine,
    SignalField,
    SignalSet,
    load_signals,
)
from wildwatch.signals.rules import benign_reason, combination_reason, held_reason, signal_reason
from wildwatch.text import Normalizer

_MAX_REASONS = 6
_WORDING_REASON = 0.5  # decision units the n-grams must add or take to be named as a reason
_TERM, _BENIGN, _SIGNAL, _COMBINATION, _WORDING = range(5)
_KIND_FEATURE = {
    TermKind.PRODUCT: "lex.product", TermKind.PART: "lex.product",
    TermKind.CODE_WORD: "lex.code_word", TermKind.HASHTAG: "lex.hashtag",
    TermKind.SPECIES: "lex.species", TermKind.EMOJI: "lex.emoji",
    TermKind.ASSOCIATED: "lex.associated",
}


class ModelScorer(Scorer):
    """Scores with a :class:`RiskModel`: calibrated probability that the post is an offer.

    The rules run first (:class:`~wildwatch.signals.RuleEngine`); a post in which no lexicon
    term counts (only benign terms, or a part word with no species name) scores 0, as under the
    rules. Every other post gets the model's probability, computed for the whole batch at once.
    ``reasons`` name the evidence that moved the model most, strongest first: lexicon terms,
    signal and combination rule ids, and the wording as a whole.

    ``normalizer`` normalises seller bios and the signal phrases; training and scoring must use
    the same kind (the default, a plain :class:`Normalizer`, is what ``wildwatch train`` uses).
    """

    name = "model"

    def __init__(self, lexicon: Lexicon, model: RiskModel | None = None, *,
                 signals: SignalSet | None = None,
                 normalizer: Normalizer | None = None) -> None:
        self.model = model if model is not None else load_model()
        self.engine = RuleEngine(lexicon, signals or load_signals(), normalizer or Normalizer())
        self.version = self.model.version
        self.lexicon_version = lexicon.version
        self._coef = dict(zip(self.model.dense_names, self.model.dense_coef.tolist(),
                              strict=True))
        self._dense_index = {name: i for i, name in enumerate(self.model.dense_names)}
        missing = set(dense_feature_names(self.engine.signals)) - set(self.model.dense_names)
        self.unknown_features = sorted(missing)
        """Features the signals define but the model was not trained with (they count 0)."""

    def assess(self, evidence: Evidence) -> Assessment:
        return self.assess_many([evidence])[0]

    def assess_many(self, evidences: Sequence[Evidence]) -> list[Assessment]:
        posts = self.engine.weigh_many(evidences)
        probabilities, dense, wording = self.score_posts(posts)
        out = []
        for position, post in enumerate(posts):
            if not post.groups:
                out.append(Assessment(0.0, [], post.ignored[:_MAX_REASONS]))
                continue
            score = round(float(probabilities[position]), 4)
            out.append(Assessment(score, [g.group for g in post.groups],
                                  self._reasons(post, dense[position], wording[position],
                                                score), held_reason(post)))
        return out

    def score_posts(self, posts: Sequence[PostEvidence]
                    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64],
                               npt.NDArray[np.float64]]:
        """Probabilities (0 where no term counts), dense features, and the n-grams' share of
        the decision, per post."""
        dense = dense_features(posts, self.model.dense_names)
        texts = [mask_text(post.text) for post in posts]
        bios = [mask_text(post.bio) for post in posts]
        model = self.model
        wording = (model.text_hasher.dot(texts, model.text_coef)
                   + model.bio_hasher.dot(bios, model.bio_coef))
        decision = dense @ model.dense_coef + model.intercept + wording
        probabilities = model.probability(decision)
        counted = np.fromiter((bool(post.groups) for post in posts), dtype=bool,
                              count=len(posts))
        return np.where(counted, probabilities, 0.0), dense, wording

    def _reasons(self, post: PostEvidence, dense: npt.NDArray[np.float64], wording: float,
                 score: float) -> list[str]:
        """The matched product first, then the evidence with the largest share of the decision
        in the verdict's direction; where there is evidence against the verdict, the strongest
        such takes the last place. Only the reasons shown are written out."""
        top = post.groups[0]
        coef = self._coef
        lex_score = coef.get("lex.score", 0.0)
        # (share, kind, item): written out by _reason_text only if it is shown
        items: list[tuple[float, int, Any]] = []
        for term, match in top.terms:
            share = (coef.get(_KIND_FEATURE.get(term.kind, "lex.score"), 0.0) + lex_score) \
                * term.weight
            items.append((share, _TERM, (term, match)))
        for term, match in top.benign[:1]:
            items.append((coef.get("lex.benign", 0.0) * term.weight, _BENIGN, (term, match)))
        seen: set[tuple[str, bool]] = set()
        for hit in post.hits:
            in_bio = hit.field is SignalField.BIO
            if (hit.rule, in_bio) in seen:
                continue
            seen.add((hit.rule, in_bio))
            feature = f"{'bio' if in_bio else 'text'}.{hit.category.value}"
            items.append((coef.get(feature, 0.0) * hit.weight, _SIGNAL, hit))
        for combo in top.combinations:
            position = self._dense_index.get(combo.id)
            value = float(dense[position]) if position is not None else 0.0
            items.append((coef.get(combo.id, 0.0) * value, _COMBINATION, combo))
        if abs(wording) >= _WORDING_REASON:
            items.append((wording, _WORDING, wording))
        sign = 1.0 if score >= 0.5 else -1.0
        items.sort(key=lambda item: -sign * item[0])
        first = self._reason_text(top.name, _TERM, top.terms[0])
        reasons = [first]
        for share, kind, item in items:
            if len(reasons) == _MAX_REASONS:
                break
            if sign * share > 1e-6:
                text = self._reason_text(top.name, kind, item)
                if text not in reasons:
                    reasons.append(text)
        for share, kind, item in reversed(items):  # the strongest against the verdict first
            if sign * share >= -1e-6:
                break
            text = self._reason_text(top.name, kind, item)
            if text not in reasons:
                if len(reasons) == _MAX_REASONS:
                    reasons[-1] = text
                else:
                    reasons.append(text)
                break
        return reasons

    def _reason_text(self, group_name: str, kind: int, item: Any) -> str:
        if kind == _TERM:
            return lexicon_reason(item[0], item[1], group_name)
        if kind == _BENIGN:
            return benign_reason(item[0], item[1])
        if kind == _SIGNAL:
            return signal_reason(self.engine.signals, item)
        if kind == _COMBINATION:
            return combination_reason(item)
        return ("[model.wording] The wording resembles "
                + ("offers" if item > 0 else "posts that are not offers")
                + " in the training data")
