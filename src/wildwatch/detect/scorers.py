"""The scorers a detector can use, by name: the one place a scorer is registered.

Each entry builds the scorer for a lexicon and says which operating points (flag, likely) it was
calibrated for, or None for the detector's defaults. Imports are lazy: the rule and model
scorers live in packages that themselves build on ``wildwatch.detect``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wildwatch.detect.scoring import LexiconScorer, Scorer
from wildwatch.lexicon import Lexicon

Thresholds = tuple[float, float] | None


def _lexicon(lexicon: Lexicon, _model_path: Path | None) -> tuple[Scorer, Thresholds]:
    return LexiconScorer(lexicon), None


def _rules(lexicon: Lexicon, _model_path: Path | None) -> tuple[Scorer, Thresholds]:
    from wildwatch.signals.rules import RuleScorer
    from wildwatch.text import Normalizer

    return RuleScorer(lexicon, Normalizer()), None


def _model(lexicon: Lexicon, model_path: Path | None) -> tuple[Scorer, Thresholds]:
    from wildwatch.model import default_scorer

    # A model file carries the operating points chosen for it (the shipped one's are
    # DEFAULT_THRESHOLDS).
    scorer = default_scorer(lexicon, model_path=model_path)
    return scorer, scorer.model.thresholds


#: Scorer names, as ``wildwatch scan --scorer`` and ``Detector.default(scorer=...)`` take them.
SCORERS: dict[str, Callable[[Lexicon, Path | None], tuple[Scorer, Thresholds]]] = {
    "lexicon": _lexicon,
    "rules": _rules,
    "model": _model,
}
DEFAULT_SCORER = "lexicon"


def build_scorer(name: str, lexicon: Lexicon, *,
                 model_path: Path | None = None) -> tuple[Scorer, Thresholds]:
    """The named scorer for ``lexicon`` and its calibrated operating points; ``model_path`` is
    a model file for the ``model`` scorer (default: the shipped model)."""
    if name not in SCORERS:
        raise ValueError(f"unknown scorer {name!r}; choose from {', '.join(SCORERS)}")
    if model_path is not None and name != "model":
        raise ValueError(f"the {name} scorer reads no model file")
    return SCORERS[name](lexicon, model_path)
