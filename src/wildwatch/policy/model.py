"""The policy's data model: categories, rules, overrides, and the outcome of a decision."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import msgspec

from wildwatch.detect.verdict import Level


class Action(enum.StrEnum):
    """What a platform does with a post. The one registry of actions: add a new one here."""

    ALLOW = "allow"
    """Nothing to do."""
    REVIEW = "review"
    """A moderator reads the post and decides."""
    ESCALATE = "escalate"
    """A wildlife specialist (or the trust-and-safety lead) decides; may involve law enforcement."""
    REMOVE = "remove"
    """Take the listing down."""
    BLOCK_SELLER = "block_seller"
    """Take the listing down and block the seller's account."""

    @property
    def severity(self) -> int:
        """Ordering of actions; spaced so a new action can fit between two existing ones."""
        return _SEVERITY[self]


_SEVERITY = {
    Action.ALLOW: 0,
    Action.REVIEW: 1_000,
    Action.ESCALATE: 2_000,
    Action.REMOVE: 3_000,
    Action.BLOCK_SELLER: 4_000,
}


class RuleState(enum.StrEnum):
    """Where a rule is in its life: written, measured, or applied."""

    DRAFT = "draft"
    """Ignored by decisions; kept in the file while it is being discussed."""
    SHADOW = "shadow"
    """Evaluated and reported in ``PolicyOutcome.shadow``, never applied."""
    LIVE = "live"
    """Applied: the most severe matching live rule decides."""


#: The verdict levels a rule may name. Clear verdicts are never acted upon.
RULE_LEVELS = (Level.REVIEW, Level.LIKELY)


@dataclass(frozen=True, slots=True)
class Category:
    """A policy category: the lexicon groups it covers and why their trade is prohibited."""

    id: str
    name: str
    groups: tuple[str, ...]
    cites_appendix: str
    """"I", "II", "III", a combination such as "I/II", or "varies"."""
    reason: str
    """One public sentence: why trade in this category is prohibited."""
    source: str
    """The full citation behind ``reason`` and ``cites_appendix``."""
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as written. Conditions left out (None) match every verdict."""

    id: str
    state: RuleState
    action: Action
    reason: str
    """What a moderator reads: why this action."""
    categories: tuple[str, ...] | None = None
    """Policy category ids; the rule holds when the verdict falls under any of them."""
    levels: tuple[Level, ...] = RULE_LEVELS
    """Verdict levels the rule holds for (review and/or likely)."""
    min_score: float | None = None
    """The rule holds only when the verdict's score is at least this."""
    platforms: tuple[str, ...] | None = None
    """Platform ids; rules under ``companies`` get their platform here."""
    jurisdictions: tuple[str, ...] | None = None
    """Jurisdiction codes; rules under ``jurisdictions`` get their code here."""
    note: str | None = None
    line: int = 0
    """Line in the policy file; ties between equally severe rules go to the earlier line."""


@dataclass(frozen=True, slots=True)
class Override:
    """A change a jurisdiction or company makes to a base rule, by id."""

    rule_id: str
    action: Action | None = None
    state: RuleState | None = None
    reason: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Scope:
    """A jurisdiction's or a company's adaptations: changed base rules and rules of its own."""

    key: str
    """ISO 3166 code ("GB", "EU") or platform id ("example-marketplace")."""
    name: str
    note: str | None
    source: str | None
    overrides: tuple[Override, ...]
    rules: tuple[Rule, ...]


class ShadowOutcome(msgspec.Struct, frozen=True, gc=False):
    """What one shadow rule would have done with the verdict."""

    rule_id: str
    action: Action


class PolicyOutcome(msgspec.Struct, frozen=True, gc=False):
    """The policy's answer for one verdict."""

    action: Action
    """What to do now, from the live rules; ALLOW when none matched."""
    rule_id: str | None
    """The live rule that decided it; None when no live rule matched."""
    category: str | None
    """The policy category the post fell under; None when the verdict names no species."""
    reason: str
    """A sentence for a moderator: "Rule likely-prohibited-remove: ..."."""
    shadow: tuple[ShadowOutcome, ...] = ()
    """What matching shadow rules would have done, in file order; never applied."""
