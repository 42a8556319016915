"""Sale-intent and context signals: the words around a product name that tell a sale from a colour.

Rules are data (``signals/data/*.yaml``, see docs/model.md); :class:`SignalFinder` finds them in
a post's normalised text, its seller's bio and its price field; :class:`RuleEngine` weighs them
with the lexicon evidence and the combination rules; :class:`RuleScorer` is the rule-only scorer.
"""

from wildwatch.signals.finder import SignalFinder, SignalHit
from wildwatch.signals.loader import SignalError, default_signals_dir, load_signals
from wildwatch.signals.model import (
    SALE_CATEGORIES,
    Atom,
    CombinationRule,
    Effect,
    Negation,
    SignalCategory,
    SignalField,
    SignalRule,
    SignalSet,
)
from wildwatch.signals.rules import GroupEvidence, PostEvidence, RuleEngine, RuleScorer

__all__ = [
    "SALE_CATEGORIES",
    "Atom",
    "CombinationRule",
    "Effect",
    "GroupEvidence",
    "Negation",
    "PostEvidence",
    "RuleEngine",
    "RuleScorer",
    "SignalCategory",
    "SignalError",
    "SignalField",
    "SignalFinder",
    "SignalHit",
    "SignalRule",
    "SignalSet",
    "default_signals_dir",
    "load_signals",
]
