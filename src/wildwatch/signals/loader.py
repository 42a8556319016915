"""Load and validate signal files, with errors that name the file, the line and the fix.

A folder of YAML files (see docs/model.md, "Signals"). Each file is one of three shapes, told
apart by its keys:

* rules: ``sources`` and ``rules``, a list of ``{id, category, effect, weight, says, source,
  phrases: {LANG: [...]}, patterns: {LANG|any: [regex...]}, fields, negated_as, note}``;
* combinations: ``sources`` and ``combinations``, a list of ``{id, effect, weight, says,
  when: [atom...], unless: [atom...], terms: [kind...], source}``;
* negation: ``sources``, ``window``, ``before: {LANG: [...]}``, ``after: {LANG: [...]}``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

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
from wildwatch.lexicon import TermKind
from wildwatch.signals.model import (
    Atom,
    CombinationRule,
    Effect,
    Negation,
    SignalCategory,
    SignalField,
    SignalRule,
    SignalSet,
)

_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_LANG = re.compile(r"^(?:[a-z]{2,3}(?:-[A-Z][a-z]{3})?|any)$")
_RULE_KEYS = {"id", "category", "effect", "weight", "says", "source", "phrases", "patterns",
              "fields", "negated_as", "note"}
_COMBO_KEYS = {"id", "effect", "weight", "says", "when", "unless", "terms", "source", "note"}
_NEGATION_KEYS = {"sources", "window", "before", "after"}
_ATOM_SCOPES = {"term": {kind.value for kind in TermKind},
                "signal": {category.value for category in SignalCategory},
                "bio": {category.value for category in SignalCategory}}


class SignalError(DataFileError):
    """A signal file is not valid. The message names the file, the line and the fix."""


def default_signals_dir() -> Path:
    """The signals shipped inside the package, or the folder named by ``WILDWATCH_SIGNALS``."""
    return package_data_dir("wildwatch.signals", "WILDWATCH_SIGNALS")


def load_signals(directory: Path | str | None = None) -> SignalSet:
    """Load every ``*.yaml`` file of ``directory`` (default: the shipped signals).

    Raises :class:`SignalError` for the first invalid entry found.
    """
    try:
        return _load_signals(directory)
    except SignalError:
        raise
    except DataFileError as exc:
        raise SignalError(exc.file, exc.line, exc.problem, exc.fix) from None


def _load_signals(directory: Path | str | None) -> SignalSet:
    folder = Path(directory) if directory is not None else default_signals_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise SignalError(str(folder), 0, "no *.yaml signal files here",
                          "point at a folder of signal rule files")
    digest = hashlib.sha256()
    rules: dict[str, SignalRule] = {}
    combinations: list[CombinationRule] = []
    negation: Negation | None = None
    sources: dict[str, str] = {}
    for path in files:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        doc = _compose(raw.decode("utf-8"), str(path))
        file_sources = string_map(doc.get("sources"), str(path), "sources")
        sources.update({f"{path.stem}:{key}": value for key, value in file_sources.items()})
        if "rules" in doc:
            no_unknown_keys(doc, {"sources", "rules"}, str(path), 1, "file")
            for rule in _parse_rules(doc["rules"], file_sources, str(path)):
                if rule.id in rules:
                    raise SignalError(str(path), rule.line, f"rule id {rule.id!r} is also used "
                                      f"in {rules[rule.id].file}:{rules[rule.id].line}",
                                      "give each rule its own id")
                rules[rule.id] = rule
        elif "combinations" in doc:
            no_unknown_keys(doc, {"sources", "combinations"}, str(path), 1, "file")
            combinations += _parse_combinations(doc["combinations"], file_sources, str(path))
        elif "before" in doc or "after" in doc:
            no_unknown_keys(doc, _NEGATION_KEYS, str(path), 1, "file")
            if negation is not None:
                raise SignalError(str(path), 1, "a second negation file",
                                  "keep all negation cues in one file")
            negation = _parse_negation(doc, str(path))
        else:
            raise SignalError(str(path), 1, "the file has no 'rules', 'combinations' or "
                              "'before' key", "start a rules file with 'rules:'")
    for rule in rules.values():
        if rule.negated_as is not None and rule.negated_as not in rules:
            raise SignalError(rule.file, rule.line, f"negated_as {rule.negated_as!r} is not a "
                              "rule id", "name an existing rule, e.g. auth.not_imitation")
    seen: dict[str, CombinationRule] = {}
    for combo in combinations:
        if combo.id in seen or combo.id in rules:
            raise SignalError(combo.file, combo.line, f"id {combo.id!r} is used twice",
                              "give each combination rule its own id")
        seen[combo.id] = combo
    return SignalSet(rules, combinations, negation or Negation({}, {}), digest.hexdigest()[:12],
                     sources)


def _compose(text: str, file: str) -> dict[str, Node]:
    doc = read_mapping(text, file, "start with 'sources:' and 'rules:' keys")
    fields: dict[str, Node] = doc.value
    return fields


def _parse_rules(node: Node, sources: dict[str, str], file: str) -> list[SignalRule]:
    if not isinstance(node.value, list) or not node.value:
        raise SignalError(file, node.line, "'rules' must be a non-empty list",
                          "add '- id: ...' items")
    out = []
    for item in node.value:
        fields = mapping(item, file, "a rule", "write it as 'id: ...', 'category: ...' lines")
        no_unknown_keys(fields, _RULE_KEYS, file, item.line, "rule")
        rule_id = _rule_id(fields, file, item.line)
        category_name = required_str(fields, "category", file, item.line)
        try:
            category = SignalCategory(category_name)
        except ValueError:
            raise SignalError(file, fields["category"].line, f"unknown category "
                              f"{category_name!r}", "use one of: "
                              + ", ".join(c.value for c in SignalCategory)) from None
        effect = _effect(fields, file, item.line, {Effect.RAISE, Effect.LOWER})
        phrases = _lang_lists(fields.get("phrases"), file, "phrases")
        patterns = _lang_lists(fields.get("patterns"), file, "patterns")
        for lang, items in patterns.items():
            for pattern in items:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise SignalError(file, fields["patterns"].line, f"pattern {pattern!r} "
                                      f"({lang}) is not a valid regular expression: {exc}",
                                      "fix the regex; test it on normalised text") from None
        field_names = string_list(fields.get("fields"), file, "fields") or ["text", "bio"]
        try:
            where = frozenset(SignalField(name) for name in field_names)
        except ValueError:
            raise SignalError(file, fields["fields"].line, f"unknown field in {field_names}",
                              "use text, bio and/or price") from None
        if not phrases and not patterns and SignalField.PRICE not in where:
            raise SignalError(file, item.line, f"rule {rule_id!r} has no phrases or patterns",
                              "add 'phrases: {en: [...]}' or 'patterns: {any: [...]}'")
        out.append(SignalRule(
            id=rule_id, category=category, effect=effect,
            weight=_weight(fields, file, item.line),
            says=required_str(fields, "says", file, item.line),
            phrases=phrases, patterns=patterns, fields=where,
            source=_source(fields, sources, file),
            negated_as=optional_str(fields, "negated_as", file),
            note=optional_str(fields, "note", file), file=file, line=item.line,
        ))
    return out


def _parse_combinations(node: Node, sources: dict[str, str],
                        file: str) -> list[CombinationRule]:
    if not isinstance(node.value, list) or not node.value:
        raise SignalError(file, node.line, "'combinations' must be a non-empty list",
                          "add '- id: ...' items")
    out = []
    for item in node.value:
        fields = mapping(item, file, "a combination rule", "write it as 'id: ...' lines")
        no_unknown_keys(fields, _COMBO_KEYS, file, item.line, "combination rule")
        rule_id = _rule_id(fields, file, item.line)
        effect = _effect(fields, file, item.line, set(Effect))
        when = tuple(_atom(text, file, fields["when"].line)
                     for text in string_list(fields.get("when"), file, "when"))
        if not when:
            raise SignalError(file, item.line, f"combination {rule_id!r} has no 'when'",
                              "add e.g. when: [\"term:code_word\", \"signal:intent\"]")
        unless = tuple(_atom(text, file, fields["unless"].line)
                       for text in string_list(fields.get("unless"), file, "unless"))
        terms = frozenset(string_list(fields.get("terms"), file, "terms"))
        if effect is Effect.REQUIRE:
            unknown = terms - _ATOM_SCOPES["term"]
            if not terms or unknown:
                raise SignalError(file, item.line, f"'require' rule {rule_id!r} needs 'terms' "
                                  "naming lexicon term kinds", "write e.g. terms: [associated]")
            weight = 0.0
        elif effect is Effect.HOLD:
            weight = 0.0  # it moves the level, not the score
        else:
            weight = _weight(fields, file, item.line)
        out.append(CombinationRule(rule_id, effect, weight,
                                   required_str(fields, "says", file, item.line), when, unless,
                                   terms, _source(fields, sources, file), file, item.line))
    return out


def _parse_negation(doc: dict[str, Node], file: str) -> Negation:
    window_node = doc.get("window")
    window = 2
    if window_node is not None:
        value = window_node.value
        if not isinstance(value, float) or not value.is_integer() or not 0 <= value <= 5:
            raise SignalError(file, window_node.line, f"window {value!r} is not a whole number "
                              "from 0 to 5", "write e.g. 'window: 2'")
        window = int(value)
    return Negation(_lang_lists(doc.get("before"), file, "before"),
                    _lang_lists(doc.get("after"), file, "after"), window)


def _atom(text: str, file: str, line: int) -> Atom:
    scope, _, values = text.partition(":")
    allowed = _ATOM_SCOPES.get(scope)
    if allowed is None or not values:
        raise SignalError(file, line, f"condition {text!r} is not 'term:...', 'signal:...' or "
                          "'bio:...'", "write e.g. 'signal:intent|price'")
    names = frozenset(values.split("|"))
    unknown = sorted(names - allowed)
    if unknown:
        raise SignalError(file, line, f"condition {text!r} names unknown {scope} "
                          f"{', '.join(unknown)}", f"use: {', '.join(sorted(allowed))}")
    return Atom(scope, names)


def _rule_id(fields: dict[str, Node], file: str, line: int) -> str:
    rule_id = required_str(fields, "id", file, line)
    if not _RULE_ID.match(rule_id):
        raise SignalError(file, fields["id"].line, f"rule id {rule_id!r} is not dotted lower "
                          "case", "write it as family.name, e.g. intent.price_amount")
    return rule_id


def _effect(fields: dict[str, Node], file: str, line: int, allowed: set[Effect]) -> Effect:
    name = required_str(fields, "effect", file, line)
    try:
        effect = Effect(name)
    except ValueError:
        effect = None
    if effect is None or effect not in allowed:
        raise SignalError(file, fields["effect"].line, f"unknown effect {name!r}",
                          "use one of: " + ", ".join(sorted(e.value for e in allowed)))
    return effect


def _weight(fields: dict[str, Node], file: str, line: int) -> float:
    node = fields.get("weight")
    if node is None:
        raise SignalError(file, line, "missing 'weight'", "add 'weight: 0.5' (0 to 1)")
    raw = node.value
    if not isinstance(raw, float) or not 0 <= raw <= 1:
        raise SignalError(file, node.line, f"weight {raw!r} is not a number from 0 to 1",
                          "write e.g. 'weight: 0.5'")
    return raw


def _source(fields: dict[str, Node], sources: dict[str, str], file: str) -> str | None:
    node = fields.get("source")
    if node is None or node.value is None:
        return None
    source = str(node.value)
    if source not in sources and not source.startswith("http"):
        raise SignalError(file, node.line, f"source {source!r} is not in this file's "
                          "'sources'", "add it under 'sources:' or give a URL")
    return source


def _lang_lists(node: Node | None, file: str, key: str) -> dict[str, list[str]]:
    if node is None or node.value is None:
        return {}
    if not isinstance(node.value, dict):
        raise SignalError(file, node.line, f"'{key}' must map languages to lists",
                          f"write '{key}:' then 'en: [...]' lines")
    out: dict[str, list[str]] = {}
    for lang, child in node.value.items():
        if not _LANG.match(lang):
            raise SignalError(file, child.line, f"{key}: {lang!r} is not a language code",
                              "use a BCP 47 code such as en, zh-Hans, vi, or 'any'")
        items = string_list(child, file, f"{key}.{lang}")
        if not items:
            raise SignalError(file, child.line, f"{key}.{lang} is empty",
                              "list at least one item or delete the language")
        out[lang] = items
    return out
