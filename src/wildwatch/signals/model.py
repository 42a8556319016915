"""The signals' data model: rules that say a post offers something, or that it plainly does not."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class SignalCategory(enum.StrEnum):
    """What a signal says about a post. The model has one feature per category and field."""

    INTENT = "intent"
    """An offer: "for sale", "auction", "DM for price", "加微信", "ib"."""
    PRICE = "price"
    """A price, a currency, the listing's price field."""
    CONTACT = "contact"
    """A way to reach the seller off the platform: WhatsApp, WeChat, Line, a phone number."""
    AUTHENTICITY = "authenticity"
    """The seller's tells: "real", "antique", "not resin"."""
    COLOUR = "colour"
    """The product word is a colour: "ivory silk dress", 象牙白."""
    REPLICA = "replica"
    """A stated imitation or modern material: resin, acetate, faux."""
    NEWS = "news"
    """News and enforcement: seizures, arrests, courts."""
    LAW = "law"
    """Law and bans."""
    ADVOCACY = "advocacy"
    """Campaigns against the trade and conservation merchandise."""
    VISIT = "visit"
    """Zoo, sanctuary and safari visits, museums, stories."""


#: Categories that count as sale intent in combination rules and in the model's features.
SALE_CATEGORIES = frozenset({SignalCategory.INTENT, SignalCategory.PRICE, SignalCategory.CONTACT})


class Effect(enum.StrEnum):
    """Which way a rule moves the score."""

    RAISE = "raise"
    LOWER = "lower"
    REQUIRE = "require"
    """Combination rules only: the named lexicon term kinds count only where the rule holds."""
    HOLD = "hold"
    """Combination rules only: where the rule holds, the verdict may not be ``likely``
    (eligible for automatic action) whatever its score; it goes to review. The score is
    unchanged."""


class SignalField(enum.StrEnum):
    """Where a rule looks."""

    TEXT = "text"
    """Title, text, description and hashtags, normalised."""
    BIO = "bio"
    """The seller's profile text, normalised."""
    PRICE = "price"
    """The listing's price field: the rule holds when it is a positive number."""


@dataclass(frozen=True, slots=True)
class SignalRule:
    """One signal rule as an analyst wrote it: phrases per language and/or patterns."""

    id: str
    category: SignalCategory
    effect: Effect
    weight: float
    says: str
    """What the rule means, as a reason a moderator reads: "Gives a price"."""
    phrases: dict[str, list[str]]
    patterns: dict[str, list[str]]
    fields: frozenset[SignalField]
    source: str | None
    negated_as: str | None = None
    """The rule a negated match counts as ("not resin": replica -> authenticity)."""
    note: str | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Atom:
    """One condition of a combination rule: ``term:code_word``, ``signal:intent|price``."""

    scope: str
    """"term", "signal" or "bio"."""
    values: frozenset[str]

    def __str__(self) -> str:
        return f"{self.scope}:{'|'.join(sorted(self.values))}"


@dataclass(frozen=True, slots=True)
class CombinationRule:
    """Evidence that counts only together, evaluated per species group."""

    id: str
    effect: Effect
    weight: float
    says: str
    when: tuple[Atom, ...]
    unless: tuple[Atom, ...] = ()
    terms: frozenset[str] = frozenset()
    """For ``require``: the lexicon term kinds that count only where the rule holds."""
    source: str | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Negation:
    """Negation cues: words before (or, in Japanese, after) an imitation word that flip it."""

    before: dict[str, list[str]]
    after: dict[str, list[str]]
    window: int = 2


@dataclass(slots=True)
class SignalSet:
    """All rules, with a version that changes whenever any rule file changes."""

    rules: dict[str, SignalRule]
    combinations: list[CombinationRule]
    negation: Negation
    version: str
    sources: dict[str, str] = field(default_factory=dict)

    def rule(self, rule_id: str) -> SignalRule:
        return self.rules[rule_id]
