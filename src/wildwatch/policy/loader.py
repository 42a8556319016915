"""Load and validate the policy file, with errors that name the file, the line and the fix.

One YAML file (see docs/policy.md). The shape::

    name: ...
    sources:
      cites: "CITES Appendices I, II and III, https://cites.org/eng/app/appendices.php"
    categories:
      - {id: pangolin, name: ..., groups: [pangolin], cites_appendix: "I", reason: ...,
         source: cites}
    rules:
      - {id: review-level-review, state: live, levels: [review], action: review, reason: ...}
    jurisdictions:
      GB: {name: United Kingdom, note: ..., source: ..., overrides: [...], rules: [...]}
    companies:
      example-marketplace: {name: ..., note: ..., overrides: [{id: ..., state: live}]}

Every lexicon group must be covered by exactly one category; every group, category, rule id and
override named must exist.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from wildwatch.datafiles import (
    DataFileError,
    Node,
    mapping,
    no_unknown_keys,
    optional_str,
    package_data_dir,
    read_mapping,
    required_str,
    string_list,
    string_map,
)
from wildwatch.detect.verdict import Level
from wildwatch.lexicon import Lexicon, load_lexicon
from wildwatch.policy.engine import Policy
from wildwatch.policy.model import RULE_LEVELS, Action, Category, Override, Rule, RuleState, Scope

POLICY_FILE = "policy.yaml"

_CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CODE = re.compile(r"^[A-Z]{2}$")
_APPENDIX = re.compile(r"^(?:I{1,3})(?:/I{1,3})*$|^varies$")
_FILE_KEYS = {"name", "description", "sources", "categories", "rules", "jurisdictions",
              "companies"}
_CATEGORY_KEYS = {"id", "name", "groups", "cites_appendix", "reason", "source", "note"}
_RULE_KEYS = {"id", "state", "action", "reason", "categories", "levels", "min_score",
              "platforms", "jurisdictions", "note"}
_SCOPE_KEYS = {"name", "note", "source", "overrides", "rules"}
_OVERRIDE_KEYS = {"id", "action", "state", "reason"}
_ACTIONS = ", ".join(action.value for action in Action)
_STATES = ", ".join(state.value for state in RuleState)


class PolicyError(DataFileError):
    """The policy file is not valid. The message names the file, the line and the fix."""


def default_policy_path() -> Path:
    """The policy shipped inside the package, or the file (or folder) ``WILDWATCH_POLICY`` names."""
    return package_data_dir("wildwatch.policy", "WILDWATCH_POLICY")


def load_policy(path: Path | str | None = None, *, lexicon: Lexicon | None = None) -> Policy:
    """Load the policy file ``path`` (a file, or a folder holding ``policy.yaml``; default: the
    shipped policy) and check it against ``lexicon`` (default: the shipped lexicon).

    Raises :class:`PolicyError` for the first problem found.
    """
    target = Path(path) if path is not None else default_policy_path()
    file = target / POLICY_FILE if target.is_dir() else target
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise PolicyError(str(file), 0, f"cannot read the policy file ({exc.strerror})",
                          "point at a policy YAML file or a folder holding policy.yaml") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError(str(file), 0, "the file is not UTF-8 text",
                          "save it as UTF-8") from None
    groups = (lexicon if lexicon is not None else load_lexicon()).groups
    try:
        return _Parser(str(file), set(groups)).parse(text, hashlib.sha256(raw).hexdigest()[:12])
    except PolicyError:
        raise
    except DataFileError as exc:
        raise PolicyError(exc.file, exc.line, exc.problem, exc.fix) from None


class _Parser:
    """Reads one policy file; keeps what later sections check against (ids and their lines)."""

    def __init__(self, file: str, groups: set[str]) -> None:
        self.file = file
        self.groups = groups
        self.sources: dict[str, str] = {}
        self.categories: dict[str, int] = {}
        self.rule_lines: dict[str, int] = {}
        self.base_rules: set[str] = set()
        self.key_lines: dict[tuple[str, str], int] = {}

    def error(self, line: int, problem: str, fix: str) -> PolicyError:
        return PolicyError(self.file, line, problem, fix)

    def parse(self, text: str, version: str) -> Policy:
        doc = read_mapping(text, self.file, "start with 'categories:' and 'rules:' keys")
        fields: dict[str, Node] = doc.value
        no_unknown_keys(fields, _FILE_KEYS, self.file, doc.line, "policy file")
        self.key_lines = self._scope_key_lines(text)
        self.sources = string_map(fields.get("sources"), self.file, "sources")
        categories = self._categories(self._list(fields, "categories", doc.line))
        rules = tuple(self._rule(item) for item in self._list(fields, "rules", doc.line))
        self.base_rules = {rule.id for rule in rules}
        jurisdictions = self._scopes(fields.get("jurisdictions"), "jurisdictions")
        companies = self._scopes(fields.get("companies"), "companies")
        return Policy(
            version=version,
            name=optional_str(fields, "name", self.file) or "",
            description=optional_str(fields, "description", self.file) or "",
            categories=categories, rules=rules, jurisdictions=jurisdictions,
            companies=companies, sources=self.sources, file=self.file)

    def _scope_key_lines(self, text: str) -> dict[tuple[str, str], int]:
        """The line of each jurisdiction and company key, which the parsed values lack, and an
        error for a key written twice (YAML would silently keep the last)."""
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        lines: dict[tuple[str, str], int] = {}
        for section, entries in root.value if root is not None else ():
            if section.value not in ("jurisdictions", "companies"):
                continue
            for key, _ in entries.value if isinstance(entries, yaml.MappingNode) else ():
                line = key.start_mark.line + 1
                where = (section.value, str(key.value))
                if where in lines:
                    raise self.error(line, f"{section.value} key {key.value!r} is written twice "
                                     f"(first on line {lines[where]})", "merge the two blocks")
                lines[where] = line
        return lines

    def _list(self, fields: dict[str, Node], key: str, line: int) -> list[Node]:
        node = fields.get(key)
        if node is None or not isinstance(node.value, list) or not node.value:
            raise self.error(node.line if node else line, f"'{key}' must be a non-empty list",
                             f"add '{key}:' with '- id: ...' items")
        items: list[Node] = node.value
        return items

    def _categories(self, items: list[Node]) -> tuple[Category, ...]:
        covered: dict[str, tuple[str, int]] = {}
        out = []
        for item in items:
            fields = mapping(item, self.file, "a category", "write it as 'id: ...' lines")
            no_unknown_keys(fields, _CATEGORY_KEYS, self.file, item.line, "category")
            category_id = required_str(fields, "id", self.file, item.line)
            if not _CATEGORY_ID.match(category_id):
                raise self.error(fields["id"].line, f"category id {category_id!r} is not a "
                                 "plain name", "use lower-case letters, digits and '_' "
                                 "(e.g. rhino_horn)")
            if category_id in self.categories:
                raise self.error(fields["id"].line, f"category id {category_id!r} is also used "
                                 f"on line {self.categories[category_id]}",
                                 "give each category its own id")
            self.categories[category_id] = fields["id"].line
            groups = string_list(fields.get("groups"), self.file, "groups")
            if not groups:
                raise self.error(item.line, f"category {category_id!r} covers no lexicon group",
                                 "add 'groups: [...]' naming lexicon group ids")
            for group in groups:
                line = fields["groups"].line
                if group not in self.groups:
                    raise self.error(line, f"unknown lexicon group {group!r} in category "
                                     f"{category_id!r}",
                                     f"use one of: {', '.join(sorted(self.groups))}")
                if group in covered:
                    other, other_line = covered[group]
                    raise self.error(line, f"lexicon group {group!r} is already covered by "
                                     f"category {other!r} (line {other_line})",
                                     "list each lexicon group in exactly one category")
                covered[group] = (category_id, line)
            appendix = required_str(fields, "cites_appendix", self.file, item.line)
            if not _APPENDIX.match(appendix):
                raise self.error(fields["cites_appendix"].line, f"cites_appendix {appendix!r} "
                                 "is not a CITES appendix", "write I, II or III, a combination "
                                 "such as \"I/II\", or \"varies\"")
            out.append(Category(
                id=category_id, name=required_str(fields, "name", self.file, item.line),
                groups=tuple(groups), cites_appendix=appendix,
                reason=required_str(fields, "reason", self.file, item.line),
                source=self._source(fields, required=True, line=item.line) or "",
                note=optional_str(fields, "note", self.file)))
        missing = sorted(self.groups - set(covered))
        if missing:
            raise self.error(items[0].line, "lexicon groups not covered by any category: "
                             + ", ".join(missing),
                             "add each to the 'groups' of one category")
        return tuple(out)

    def _rule(self, item: Node, scope: tuple[str, str] | None = None) -> Rule:
        """One rule; ``scope`` is ("companies", platform) or ("jurisdictions", code) for a rule
        written under a company or jurisdiction, which then applies only there."""
        fields = mapping(item, self.file, "a rule", "write it as 'id: ...' lines")
        no_unknown_keys(fields, _RULE_KEYS, self.file, item.line, "rule")
        rule_id = required_str(fields, "id", self.file, item.line)
        if not _RULE_ID.match(rule_id):
            raise self.error(fields["id"].line, f"rule id {rule_id!r} is not a plain name",
                             "use lower-case letters, digits and '-' (e.g. ivory-likely-remove)")
        if rule_id in self.rule_lines:
            raise self.error(fields["id"].line, f"rule id {rule_id!r} is also used on line "
                             f"{self.rule_lines[rule_id]}", "give each rule its own id")
        self.rule_lines[rule_id] = fields["id"].line
        categories = self._names(fields, "categories", rule_id)
        for category in categories or ():
            if category not in self.categories:
                raise self.error(fields["categories"].line, f"unknown category {category!r} in "
                                 f"rule {rule_id!r}",
                                 f"use one of: {', '.join(self.categories)}")
        levels = self._levels(fields, rule_id)
        platforms = self._names(fields, "platforms", rule_id, _PLATFORM,
                                "use platform ids: lower-case letters, digits, '.', '_', '-'")
        codes = self._names(fields, "jurisdictions", rule_id, _CODE,
                            "use two-letter upper-case codes such as GB, CN, EU")
        if scope is not None:
            section, key = scope
            named = "platforms" if section == "companies" else "jurisdictions"
            if named in fields:
                raise self.error(fields[named].line, f"rule {rule_id!r} under {section}.{key} "
                                 f"names '{named}'", f"delete '{named}': the rule already "
                                 f"applies only to {key}")
            if section == "companies":
                platforms = (key,)
            else:
                codes = (key,)
        return Rule(
            id=rule_id, state=self._state(fields, item.line),
            action=self._action(fields, item.line),
            reason=required_str(fields, "reason", self.file, item.line),
            categories=categories, levels=levels, min_score=self._min_score(fields, rule_id),
            platforms=platforms, jurisdictions=codes,
            note=optional_str(fields, "note", self.file), line=item.line)

    def _scopes(self, node: Node | None, section: str) -> dict[str, Scope]:
        if node is None or node.value is None:
            return {}
        entries = mapping(node, self.file, f"'{section}'",
                          f"write '{section}:' then one 'KEY:' block each")
        pattern, fix = ((_CODE, "use a two-letter upper-case code such as GB, CN or EU")
                        if section == "jurisdictions" else
                        (_PLATFORM, "use lower-case letters, digits, '.', '_' and '-'"))
        out = {}
        for key, entry in entries.items():
            key_line = self.key_lines.get((section, key), entry.line)
            if not pattern.match(key):
                raise self.error(key_line, f"{section} key {key!r} is not valid", fix)
            fields = mapping(entry, self.file, f"{section}.{key}",
                             "write 'name:', 'note:', 'overrides:' and 'rules:' lines")
            no_unknown_keys(fields, _SCOPE_KEYS, self.file, key_line, f"{section}.{key}")
            rules_node = fields.get("rules")
            rule_items: list[Node] = rules_node.value or [] if rules_node is not None else []
            if not isinstance(rule_items, list):
                raise self.error(rules_node.line if rules_node else key_line,
                                 f"'{section}.{key}.rules' must be a list",
                                 "write '- id: ...' items")
            out[key] = Scope(
                key=key, name=required_str(fields, "name", self.file, key_line),
                note=optional_str(fields, "note", self.file),
                source=self._source(fields, required=False, line=key_line),
                overrides=self._overrides(fields.get("overrides"), f"{section}.{key}"),
                rules=tuple(self._rule(item, (section, key)) for item in rule_items))
        return out

    def _overrides(self, node: Node | None, where: str) -> tuple[Override, ...]:
        if node is None or node.value is None:
            return ()
        if not isinstance(node.value, list):
            raise self.error(node.line, f"'{where}.overrides' must be a list",
                             "write '- {id: RULE, action: ..., state: ...}' items")
        out = []
        seen: set[str] = set()
        for item in node.value:
            fields = mapping(item, self.file, "an override", "write it as {id: ..., state: ...}")
            no_unknown_keys(fields, _OVERRIDE_KEYS, self.file, item.line, "override")
            rule_id = required_str(fields, "id", self.file, item.line)
            if rule_id not in self.base_rules:
                raise self.error(fields["id"].line, f"override in {where} names unknown rule "
                                 f"{rule_id!r}", "use the id of a rule under 'rules:' "
                                 "(overrides change base rules only)")
            if rule_id in seen:
                raise self.error(fields["id"].line, f"rule {rule_id!r} is overridden twice in "
                                 f"{where}", "merge the two overrides")
            seen.add(rule_id)
            if "action" not in fields and "state" not in fields:
                raise self.error(item.line, f"override of {rule_id!r} in {where} changes "
                                 "nothing", "set 'action:' and/or 'state:'")
            out.append(Override(
                rule_id=rule_id,
                action=self._action(fields, item.line) if "action" in fields else None,
                state=self._state(fields, item.line) if "state" in fields else None,
                reason=optional_str(fields, "reason", self.file), line=item.line))
        return tuple(out)

    def _names(self, fields: dict[str, Node], key: str, rule_id: str,
               pattern: re.Pattern[str] | None = None,
               fix: str = "") -> tuple[str, ...] | None:
        if key not in fields:
            return None
        names = string_list(fields[key], self.file, key)
        if not names:
            raise self.error(fields[key].line, f"'{key}' of rule {rule_id!r} is empty",
                             f"list at least one, or delete '{key}' to match any")
        for name in names:
            if pattern is not None and not pattern.match(name):
                raise self.error(fields[key].line, f"{key} {name!r} in rule {rule_id!r} is "
                                 "not valid", fix)
        return tuple(dict.fromkeys(names))

    def _levels(self, fields: dict[str, Node], rule_id: str) -> tuple[Level, ...]:
        names = self._names(fields, "levels", rule_id)
        if names is None:
            return RULE_LEVELS
        for name in names:
            if name not in RULE_LEVELS:
                raise self.error(fields["levels"].line, f"unknown level {name!r} in rule "
                                 f"{rule_id!r}", "use review and/or likely (clear verdicts "
                                 "are never acted upon)")
        return tuple(Level(name) for name in names)

    def _min_score(self, fields: dict[str, Node], rule_id: str) -> float | None:
        node = fields.get("min_score")
        if node is None:
            return None
        if not isinstance(node.value, float) or not 0 <= node.value <= 1:
            shown = f"{node.value:g}" if isinstance(node.value, float) else repr(node.value)
            raise self.error(node.line, f"min_score {shown} of rule {rule_id!r} is not "
                             "a number from 0 to 1", "write e.g. 'min_score: 0.9' or leave "
                             "it out")
        return node.value

    def _state(self, fields: dict[str, Node], line: int) -> RuleState:
        name = required_str(fields, "state", self.file, line)
        try:
            return RuleState(name)
        except ValueError:
            raise self.error(fields["state"].line, f"unknown state {name!r}",
                             f"use one of: {_STATES}") from None

    def _action(self, fields: dict[str, Node], line: int) -> Action:
        name = required_str(fields, "action", self.file, line)
        try:
            return Action(name)
        except ValueError:
            raise self.error(fields["action"].line, f"unknown action {name!r}",
                             f"use one of: {_ACTIONS}") from None

    def _source(self, fields: dict[str, Node], *, required: bool, line: int) -> str | None:
        node = fields.get("source")
        if node is None or node.value is None:
            if required:
                raise self.error(line, "missing 'source'", "add 'source: KEY' naming one of "
                                 "the file's 'sources', or a URL")
            return None
        source = str(node.value)
        if source in self.sources:
            return self.sources[source]
        if source.startswith(("http://", "https://")):
            return source
        raise self.error(node.line, f"source {source!r} is not in the file's 'sources'",
                         "add it under 'sources:' or give a URL")
