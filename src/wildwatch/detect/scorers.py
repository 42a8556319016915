"""The scorers a detector can use, by name: the one place a scorer is registered.

Each entry builds the scorer for a lexicon and says which operating points (flag, likely) it was
calibrated for, or None for the detector's defaults. Imports are lazy: the rule and model
scorers live in packages that themselves build on ``wildwatch.detect``.
"""

from __future__ import annotations

from collections.abc import Callable

from wildwatch.detect.scoring import LexiconScorer, Scorer
from wildwatch.lexicon import Lexicon

Thresholds = tuple[float, float] | None


def _lexicon(lexicon: Lexicon) -> tuple[Scorer, Thresholds]:
    return LexiconScorer(lexicon), None


def _rules(lexicon: Lexicon) -> tuple[Scorer, Thresholds]:
    from wildwatch.signals.rules import RuleScorer
    from wildwatch.text import Normalizer

    return RuleScorer(lexicon, Normalizer()), None


def _model(lexicon: Lexicon) -> tuple[Scorer, Thresholds]:
    from wildwatch.model import DEFAULT_THRESHOLDS, default_scorer

    return default_scorer(lexicon), DEFAULT_THRESHOLDS


#: Scorer names, as ``wildwatch scan --scorer`` and ``Detector.default(scorer=...)`` take them.
SCORERS: dict[str, Callable[[Lexicon], tuple[Scorer, Thresholds]]] = {
    "lexicon": _lexicon,
    "rules": _rules,
    "model": _model,
}
DEFAULT_SCORER = "lexicon"


def build_scorer(name: str, lexicon: Lexicon) -> tuple[Scorer, Thresholds]:
    """The named scorer for ``lexicon`` and its calibrated operating points."""
    if name not in SCORERS:
        raise ValueError(f"unknown scorer {name!r}; choose from {', '.join(SCORERS)}")
    return SCORERS[name](lexicon)
