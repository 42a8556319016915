"""The shared search-term library: species groups and the words sellers use for them."""

from wildwatch.lexicon.loader import LexiconError, default_lexicon_dir, load_lexicon, parse_group
from wildwatch.lexicon.model import DEFAULT_WEIGHT, NAMING_KINDS, Group, Lexicon, Term, TermKind

__all__ = [
    "DEFAULT_WEIGHT",
    "NAMING_KINDS",
    "Group",
    "Lexicon",
    "LexiconError",
    "Term",
    "TermKind",
    "default_lexicon_dir",
    "load_lexicon",
    "parse_group",
]
