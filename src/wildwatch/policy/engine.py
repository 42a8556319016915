"""Deciding what to do with a verdict: the loaded policy and its rule evaluation.

How a decision is made (the same text is in docs/policy.md):

1. The verdict's ``species`` (lexicon group ids, strongest first) are mapped to policy
   categories. A ``clear`` verdict is never acted upon: ALLOW, no rule.
2. The rules that apply are chosen for the scope: the base ``rules``, changed by the overrides
   of the ``jurisdiction`` and then of the ``platform`` (the company's override wins when both
   change the same rule), plus the rules the jurisdiction and the company add. Rules whose
   ``platforms`` or ``jurisdictions`` condition excludes the scope are dropped.
3. ``draft`` rules are ignored. A rule holds when every condition it states holds: the verdict
   falls under one of its ``categories``, its level is one of ``levels`` (default: review and
   likely), and its score is at least ``min_score``.
4. Among the ``live`` rules that hold, the most severe action wins; between equally severe
   rules, the one written first in the file. No live rule holds: ALLOW.
5. Every ``shadow`` rule that holds is reported in ``PolicyOutcome.shadow``, in file order,
   and never applied.

The rule lists of each (platform, jurisdiction) pair are built once, sorted and indexed by
level, and cached, so a decision is a few set lookups.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from wildwatch.detect.verdict import Level, Verdict
from wildwatch.policy.model import (
    RULE_LEVELS,
    Action,
    Category,
    PolicyOutcome,
    Rule,
    RuleState,
    Scope,
    ShadowOutcome,
)


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A rule ready to test: conditions as sets, the outcome parts prebuilt."""

    rule_id: str
    action: Action
    categories: frozenset[str] | None
    min_score: float
    reason: str
    shadow: ShadowOutcome

    def category_hit(self, categories: tuple[str, ...], score: float) -> tuple[bool, str | None]:
        """Whether the rule holds, and the first of the verdict's categories it names."""
        if score < self.min_score:
            return False, None
        if self.categories is None:
            return True, categories[0] if categories else None
        for category in categories:
            if category in self.categories:
                return True, category
        return False, None


@dataclass(frozen=True, slots=True)
class _RuleSet:
    """The live and shadow rules of one scope, per verdict level."""

    live: dict[str, tuple[_Compiled, ...]]
    """Most severe first, then file order: the first rule that holds decides."""
    shadow: dict[str, tuple[_Compiled, ...]]
    """File order."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Policy:
    """The prohibited-wildlife policy, loaded once (see :func:`load_policy`) and never changed."""

    version: str
    """Content hash of the policy file; changes with any edit."""
    name: str
    description: str
    categories: tuple[Category, ...]
    rules: tuple[Rule, ...]
    """The base rules, in file order."""
    jurisdictions: Mapping[str, Scope]
    companies: Mapping[str, Scope]
    """Keyed by platform id."""
    sources: Mapping[str, str]
    file: str = ""
    _by_group: dict[str, Category] = field(init=False)
    _by_rule: dict[str, Rule] = field(init=False)
    _platforms: frozenset[str] = field(init=False)
    _codes: frozenset[str] = field(init=False)
    _rule_sets: dict[tuple[str | None, str | None], _RuleSet] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "jurisdictions", MappingProxyType(dict(self.jurisdictions)))
        object.__setattr__(self, "companies", MappingProxyType(dict(self.companies)))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        by_group = {group: category for category in self.categories for group in category.groups}
        object.__setattr__(self, "_by_group", by_group)
        object.__setattr__(self, "_by_rule", {rule.id: rule for rule in self.rules})
        every_rule = [*self.rules, *(rule for scope in self._scopes() for rule in scope.rules)]
        # Only platforms and codes the file names get their own rule set; any other value
        # shares the base one, so the cache stays as small as the file.
        object.__setattr__(self, "_platforms", frozenset(self.companies).union(
            *(rule.platforms or () for rule in every_rule)))
        object.__setattr__(self, "_codes", frozenset(self.jurisdictions).union(
            *(rule.jurisdictions or () for rule in every_rule)))
        object.__setattr__(self, "_rule_sets", {})

    def __repr__(self) -> str:
        return (f"Policy(version={self.version!r}, categories={len(self.categories)}, "
                f"rules={len(self.rules)})")

    def category_for(self, group: str) -> Category | None:
        """The category covering lexicon group ``group``; None for a group the policy lacks."""
        return self._by_group.get(group)

    def rules_for(self, platform: str | None = None,
                  jurisdiction: str | None = None) -> tuple[Rule, ...]:
        """Every rule that applies to this scope, with its overrides applied, in file order.

        Drafts are included (with their state); :meth:`decide` skips them.
        """
        platform, jurisdiction = self._known(platform, jurisdiction)
        rules = dict(self._by_rule)
        scopes = [scope for scope in (self.jurisdictions.get(jurisdiction or ""),
                                      self.companies.get(platform or "")) if scope is not None]
        for scope in scopes:
            for override in scope.overrides:
                rule = rules[override.rule_id]
                rules[rule.id] = dataclasses.replace(
                    rule, action=override.action or rule.action,
                    state=override.state or rule.state, reason=override.reason or rule.reason)
        for scope in scopes:
            rules.update((rule.id, rule) for rule in scope.rules)
        applying = [rule for rule in rules.values()
                    if (rule.platforms is None or platform in rule.platforms)
                    and (rule.jurisdictions is None or jurisdiction in rule.jurisdictions)]
        return tuple(sorted(applying, key=lambda rule: rule.line))

    def decide(self, verdict: Verdict, *, platform: str | None = None,
               jurisdiction: str | None = None) -> PolicyOutcome:
        """What to do with ``verdict`` on ``platform`` (default: the verdict's own platform)
        in ``jurisdiction`` (an ISO 3166 code such as "GB", or "EU"; case does not matter)."""
        if platform is None:
            platform = verdict.platform
        return self._decide(verdict, self._rule_set(platform, jurisdiction))

    def decide_many(self, verdicts: Sequence[Verdict],
                    platforms: Sequence[str | None] | str | None = None,
                    jurisdictions: Sequence[str | None] | str | None = None,
                    ) -> list[PolicyOutcome]:
        """:meth:`decide` for a batch. ``platforms`` and ``jurisdictions`` are either one value
        for the whole batch or one per verdict; platforms left out (None) are each verdict's own.
        """
        count = len(verdicts)
        platform_list = _per_verdict(platforms, count, "platforms")
        code_list = _per_verdict(jurisdictions, count, "jurisdictions")
        decide, rule_set = self._decide, self._rule_set
        last_key: tuple[str | None, str | None] | None = None
        rules = self._rule_set(None, None)
        out = []
        for index, verdict in enumerate(verdicts):
            platform = platform_list[index] if platform_list is not None else None
            if platform is None:
                platform = verdict.platform
            key = (platform, code_list[index] if code_list is not None else None)
            if key != last_key:
                rules, last_key = rule_set(*key), key
            out.append(decide(verdict, rules))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole policy as JSON-able data (for a read-only API or ``policy show --json``)."""
        return {
            "version": self.version,
            "name": self.name,
            "description": self.description,
            "categories": [_category_dict(category) for category in self.categories],
            "rules": [_rule_dict(rule) for rule in self.rules],
            "jurisdictions": {key: _scope_dict(scope)
                              for key, scope in self.jurisdictions.items()},
            "companies": {key: _scope_dict(scope) for key, scope in self.companies.items()},
            "sources": dict(self.sources),
        }

    def _scopes(self) -> list[Scope]:
        return [*self.jurisdictions.values(), *self.companies.values()]

    def _known(self, platform: str | None,
               jurisdiction: str | None) -> tuple[str | None, str | None]:
        """The scope as the file knows it: unnamed platforms and codes count as none."""
        code = jurisdiction.upper() if jurisdiction else None
        return (platform if platform in self._platforms else None,
                code if code in self._codes else None)

    def _rule_set(self, platform: str | None, jurisdiction: str | None) -> _RuleSet:
        found = self._rule_sets.get((platform, jurisdiction))
        if found is not None:
            return found
        key = self._known(platform, jurisdiction)
        found = self._rule_sets.get(key)
        if found is None:
            found = self._compile(self.rules_for(*key))
            self._rule_sets[key] = found
        return found

    @staticmethod
    def _compile(rules: tuple[Rule, ...]) -> _RuleSet:
        live: dict[str, list[tuple[Rule, _Compiled]]] = {level: [] for level in RULE_LEVELS}
        shadow: dict[str, list[_Compiled]] = {level: [] for level in RULE_LEVELS}
        for rule in rules:
            if rule.state is RuleState.DRAFT:
                continue
            compiled = _Compiled(
                rule.id, rule.action,
                frozenset(rule.categories) if rule.categories is not None else None,
                rule.min_score if rule.min_score is not None else float("-inf"),
                f"Rule {rule.id}: {rule.reason}", ShadowOutcome(rule.id, rule.action))
            for level in rule.levels:
                if rule.state is RuleState.LIVE:
                    live[level].append((rule, compiled))
                else:
                    shadow[level].append(compiled)
        return _RuleSet(
            live={level: tuple(compiled for _, compiled in sorted(
                items, key=lambda item: (-item[0].action.severity, item[0].line)))
                for level, items in live.items()},
            shadow={level: tuple(items) for level, items in shadow.items()},
        )

    def _decide(self, verdict: Verdict, rules: _RuleSet) -> PolicyOutcome:
        by_group = self._by_group
        categories: tuple[str, ...] = ()
        for group in verdict.species:
            covering = by_group.get(group)
            if covering is not None and covering.id not in categories:
                categories += (covering.id,)
        first = categories[0] if categories else None
        level = verdict.level
        live = rules.live.get(level)
        if live is None:
            return PolicyOutcome(Action.ALLOW, None, first,
                                 f"Nothing to act on: the verdict's level is {level}.")
        score = verdict.score
        shadow = tuple(rule.shadow for rule in rules.shadow[level]
                       if rule.category_hit(categories, score)[0])
        for rule in live:
            holds, category = rule.category_hit(categories, score)
            if holds:
                return PolicyOutcome(rule.action, rule.rule_id, category, rule.reason, shadow)
        return PolicyOutcome(Action.ALLOW, None, first,
                             f"No live rule applies to this {level} verdict.", shadow)


def _per_verdict(values: Sequence[str | None] | str | None, count: int,
                 what: str) -> Sequence[str | None] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values] * count
    if len(values) != count:
        raise ValueError(f"{len(values)} {what} for {count} verdicts: give one per verdict, "
                         "or a single value for all")
    return values


def _category_dict(category: Category) -> dict[str, Any]:
    return {"id": category.id, "name": category.name, "groups": list(category.groups),
            "cites_appendix": category.cites_appendix, "reason": category.reason,
            "source": category.source, "note": category.note}


def _rule_dict(rule: Rule) -> dict[str, Any]:
    return {"id": rule.id, "state": rule.state.value, "action": rule.action.value,
            "reason": rule.reason,
            "categories": list(rule.categories) if rule.categories is not None else None,
            "levels": [Level(level).value for level in rule.levels],
            "min_score": rule.min_score,
            "platforms": list(rule.platforms) if rule.platforms is not None else None,
            "jurisdictions": (list(rule.jurisdictions) if rule.jurisdictions is not None
                              else None),
            "note": rule.note}


def _scope_dict(scope: Scope) -> dict[str, Any]:
    return {"name": scope.name, "note": scope.note, "source": scope.source,
            "overrides": [{"id": override.rule_id,
                           "action": override.action.value if override.action else None,
                           "state": override.state.value if override.state else None,
                           "reason": override.reason} for override in scope.overrides],
            "rules": [_rule_dict(rule) for rule in scope.rules]}
