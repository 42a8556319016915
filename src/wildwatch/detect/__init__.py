"""Matching and scoring: the lexicon found in a post, and what it means."""

from wildwatch.detect.detector import CompiledLexicon, Detector, compile_lexicon
from wildwatch.detect.engines import ENGINES, MatchEngine, available_engines, build_engine
from wildwatch.detect.scoring import Assessment, Evidence, LexiconScorer, Scorer
from wildwatch.detect.verdict import Level, Match, Verdict

__all__ = [
    "ENGINES",
    "Assessment",
    "CompiledLexicon",
    "Detector",
    "Evidence",
    "Level",
    "LexiconScorer",
    "Match",
    "MatchEngine",
    "Scorer",
    "Verdict",
    "available_engines",
    "build_engine",
    "compile_lexicon",
]
