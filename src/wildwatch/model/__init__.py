"""The learned risk model: features, the model file, the scorer, training and evaluation.

``default_scorer(lexicon)`` is the shipped model as a :class:`~wildwatch.detect.Scorer`;
``DEFAULT_THRESHOLDS`` are its operating points (flag, likely), chosen on the training corpus's
``tune`` split (see docs/model.md and docs/evaluation/).
"""

from __future__ import annotations

from pathlib import Path

from wildwatch.lexicon import Lexicon
from wildwatch.model.artifact import (
    ModelFileError,
    RiskModel,
    default_model_path,
    load_model,
)
from wildwatch.model.scorer import ModelScorer
from wildwatch.text import Normalizer

#: The shipped model's operating points: ``flagged`` (send to review) at this score or above,
#: ``likely`` (eligible for automatic action) at the second. Chosen on the corpus's tune split:
#: the middle of the best-F1 plateau, and the middle of the range with precision >= 0.98.
DEFAULT_THRESHOLDS: tuple[float, float] = (0.31, 0.90)


def default_scorer(lexicon: Lexicon, *, model_path: Path | str | None = None,
                   normalizer: Normalizer | None = None) -> ModelScorer:
    """The shipped model (or the one at ``model_path``) as a scorer for ``lexicon``."""
    return ModelScorer(lexicon, load_model(model_path), normalizer=normalizer)


__all__ = [
    "DEFAULT_THRESHOLDS",
    "ModelFileError",
    "ModelScorer",
    "RiskModel",
    "default_model_path",
    "default_scorer",
    "load_model",
]
