"""The lexicon's data model: species groups and the terms sellers use for them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class TermKind(enum.StrEnum):
    """What a term says about a post, which decides how the scorer weighs it."""

    SPECIES = "species"
    """A name of the animal ("pangolin", "穿山甲"): says which group, not that it is a sale."""
    PRODUCT = "product"
    """A product made from the species ("ivory bangle", "rhino horn cup")."""
    PART = "part"
    """A body part named with the species in one term ("bear bile", "tiger bone")."""
    CODE_WORD = "code_word"
    """A word sellers use to hide the product ("white plastic", "ox bone", "lekko")."""
    HASHTAG = "hashtag"
    """A hashtag seen on offers ("#carvedivory"); matched as a whole tag."""
    EMOJI = "emoji"
    """An emoji standing for the species or product; weak alone."""
    ASSOCIATED = "associated"
    """A part or qualifier ("skin", "claw", "antique") that counts only beside a species name."""
    BENIGN = "benign"
    """Context that makes an innocent reading likely ("ivory colored", "tiger balm")."""


#: Kinds that tell which species group a post is about.
NAMING_KINDS = frozenset({TermKind.SPECIES, TermKind.PRODUCT, TermKind.PART, TermKind.HASHTAG})

#: The weight a term gets when its file gives none.
DEFAULT_WEIGHT: dict[TermKind, float] = {
    TermKind.SPECIES: 0.25,
    TermKind.PRODUCT: 0.7,
    TermKind.PART: 0.7,
    TermKind.CODE_WORD: 0.6,
    TermKind.HASHTAG: 0.6,
    TermKind.EMOJI: 0.2,
    TermKind.ASSOCIATED: 0.3,
    TermKind.BENIGN: 0.5,
}


@dataclass(frozen=True, slots=True)
class Term:
    """One search term of one species group, as an analyst wrote it."""

    text: str
    kind: TermKind
    group: str
    lang: str
    weight: float
    source: str | None
    variant_of: str | None = None
    """For misspellings and alternates: the main term's text."""
    note: str | None = None
    file: str = ""
    line: int = 0


@dataclass(slots=True)
class Group:
    """A species group: the unit a policy names and a verdict reports."""

    id: str
    name: str
    description: str
    cites: str
    taxa: list[str]
    sources: dict[str, str]
    terms: list[Term] = field(default_factory=list)
    file: str = ""


@dataclass(slots=True)
class Lexicon:
    """All groups, with a version that changes whenever any term changes."""

    groups: dict[str, Group]
    version: str
    _index: dict[str, list[Term]] | None = field(default=None, repr=False, compare=False)

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups.values() for term in group.terms]

    def lookup(self, text: str) -> list[Term]:
        """Terms whose normalised text equals the normalised ``text`` (variants included)."""
        from wildwatch.text import normalize_text

        if self._index is None:
            index: dict[str, list[Term]] = {}
            for term in self.terms:
                index.setdefault(normalize_text(term.text), []).append(term)
            self._index = index
        return list(self._index.get(normalize_text(text), []))
