"""At the search box: warn, block or redirect a search for a listed term, and say why.

A marketplace or social network asks before it shows results: ``SearchChecker.check("ivory
bangle", locale="vi")`` says ``warn``, with the awareness message in Vietnamese. The query is
normalised and matched with the same normaliser and lexicon as posts (so ``1v0ry bangle`` and
``象 牙`` are caught), then judged by query rules that are data (``data/search.yaml``): a species
name alone is allowed, a product warns, a listed code word blocks; policy categories and
platforms can change that. The rules, in order, for each lexicon term found:

1. A benign phrase ("ivory white") cancels every term found inside it; a term inside a longer
   term of the same group ("ivory" in "ivory bangle") counts once, as the longer term.
2. The term's kind gives its action (for its policy category and the platform, where they
   change it); a term lighter than the kind's ``min_weight`` takes the kind's ``weak`` action.
3. If the query holds more than listed terms ("white plastic *chair*"), the kind's ``phrase``
   action, where written, caps it.
4. If another signal (a term of a kind listed under ``signals``, not itself weak) stands beside
   it (not inside it), the kind's ``with_signal`` action, where written, raises it.

The most severe action wins (allow < warn < redirect < block); ties go to the heavier term,
then the earlier one. Every check is counted by :class:`wildwatch.engage.search_counts.
SearchCounter`: the normalised query, never who searched.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import ahocorasick
import msgspec

from wildwatch.datafiles import (
    DataFileError,
    Node,
    mapping,
    no_unknown_keys,
    read_mapping,
    string_list,
)
from wildwatch.engage.messages import AwarenessMessage, Messages, load_messages
from wildwatch.lexicon import TermKind

if TYPE_CHECKING:
    from wildwatch.detect.detector import Detector
    from wildwatch.engage.search_counts import SearchCounter
    from wildwatch.policy import Policy
    from wildwatch.text import Normalizer

SEARCH_FILE = "search.yaml"
#: Longer queries are checked on their first this many characters.
MAX_QUERY_CHARS = 512
#: Checks remembered, keyed by (query as sent, locale, platform): search queries repeat heavily.
DEFAULT_CACHE_SIZE = 65_536


class SearchAction(enum.StrEnum):
    """What the search box does. The one registry of search actions."""

    ALLOW = "allow"
    """Show the results; nothing to say."""
    WARN = "warn"
    """Show the interstitial first: learn more, go back, or show the results anyway."""
    REDIRECT = "redirect"
    """No results: the person is taken to the awareness page (the hosted interstitial)."""
    BLOCK = "block"
    """No results: the interstitial says why, with learn more and go back only."""

    @property
    def severity(self) -> int:
        """Ordering; spaced so a new action can fit between two existing ones."""
        return _SEVERITY[self]

    @property
    def shows_results(self) -> bool:
        """Whether the person may still see the results (after the interstitial, for warn)."""
        return self in (SearchAction.ALLOW, SearchAction.WARN)


_SEVERITY = {SearchAction.ALLOW: 0, SearchAction.WARN: 1_000, SearchAction.REDIRECT: 2_000,
             SearchAction.BLOCK: 3_000}
_ACTIONS = ", ".join(action.value for action in SearchAction)


class SearchResult(msgspec.Struct, frozen=True, gc=False):
    """The answer for one query. ``message`` is None when the action is ``allow``."""

    action: SearchAction
    group: str | None
    """The lexicon group (species) of the term that decided; None when no term was found."""
    category: str | None
    """Its policy category."""
    term: str | None
    """The lexicon term that decided, as the analysts wrote it."""
    message: AwarenessMessage | None
    learn_more_url: str | None
    locale: str
    """The locale of the message: the one asked for, or the one it fell back to."""
    query: str
    """The query as normalised for matching."""


# -- the rules, as data ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KindRule:
    """How one kind of term acts in a query (see the module docstring for the order)."""

    action: SearchAction
    min_weight: float = 0.0
    weak: SearchAction = SearchAction.ALLOW
    phrase: SearchAction | None = None
    with_signal: SearchAction | None = None


@dataclass(frozen=True, slots=True)
class PlatformRules:
    """A platform's changes: kinds and categories as in the base rules, and the hosts the
    hosted interstitial may send people back to."""

    kinds: Mapping[TermKind, Mapping[str, object]] = field(default_factory=dict)
    categories: Mapping[str, Mapping[TermKind, SearchAction]] = field(default_factory=dict)
    return_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SearchRules:
    """``data/search.yaml``, parsed and checked."""

    kinds: Mapping[TermKind, KindRule]
    signals: frozenset[TermKind]
    categories: Mapping[str, Mapping[TermKind, SearchAction]]
    platforms: Mapping[str, PlatformRules]
    version: str
    file: str = ""

    def for_platform(self, platform: str | None) -> tuple[dict[TermKind, KindRule],
                                                           dict[str, dict[TermKind, SearchAction]]]:
        """The kind rules and category overrides in force on ``platform``."""
        scoped = self.platforms.get(platform or "")
        kinds = dict(self.kinds)
        categories = {key: dict(value) for key, value in self.categories.items()}
        if scoped is not None:
            for kind, changes in scoped.kinds.items():
                kinds[kind] = replace(kinds[kind], **changes)  # type: ignore[arg-type]
            for key, value in scoped.categories.items():
                categories.setdefault(key, {}).update(value)
        return kinds, categories

    def return_hosts(self, platform: str | None) -> frozenset[str]:
        scoped = self.platforms.get(platform or "")
        return scoped.return_hosts if scoped is not None else frozenset()


class SearchRulesError(DataFileError):
    """The search rules file is not valid. The message names the file, the line and the fix."""


_FILE_KEYS = {"kinds", "signals", "categories", "platforms"}
_KIND_KEYS = {"action", "min_weight", "weak", "phrase", "with_signal"}
_PLATFORM_KEYS = {"kinds", "categories", "return_hosts"}
_KINDS = ", ".join(kind.value for kind in TermKind)
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
                   r"(?::[0-9]{1,5})?$")


def default_search_rules_path() -> Path:
    return Path(str(resources.files("wildwatch.engage") / "data" / SEARCH_FILE))


def load_search_rules(path: Path | str | None = None, *,
                      categories: Iterable[str] | None = None) -> SearchRules:
    """Load and check the search rules (default: the shipped ``data/search.yaml``); given the
    policy's ``categories``, every category named must be one. Raises
    :class:`SearchRulesError` for the first problem, naming the file, the line and the fix."""
    file = Path(path) if path is not None else default_search_rules_path()
    try:
        raw = file.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise SearchRulesError(str(file), 0, f"cannot read the search rules ({exc.strerror})",
                               "point at a search.yaml file") from None
    except UnicodeDecodeError:
        raise SearchRulesError(str(file), 0, "the file is not UTF-8 text",
                               "save it as UTF-8") from None
    try:
        return _RulesParser(str(file), categories).parse(text,
                                                         hashlib.sha256(raw).hexdigest()[:12])
    except SearchRulesError:
        raise
    except DataFileError as exc:
        raise SearchRulesError(exc.file, exc.line, exc.problem, exc.fix) from None


class _RulesParser:
    def __init__(self, file: str, categories: Iterable[str] | None) -> None:
        self.file = file
        self.categories = None if categories is None else frozenset(categories)

    def error(self, line: int, problem: str, fix: str) -> SearchRulesError:
        return SearchRulesError(self.file, line, problem, fix)

    def parse(self, text: str, version: str) -> SearchRules:
        doc = read_mapping(text, self.file, "start with 'kinds:'")
        fields: dict[str, Node] = doc.value
        no_unknown_keys(fields, _FILE_KEYS, self.file, doc.line, "search rules")
        node = fields.get("kinds")
        if node is None:
            raise self.error(doc.line, "missing 'kinds'",
                             f"add 'kinds:' with a rule for each of: {_KINDS}")
        kinds: dict[TermKind, KindRule] = {}
        for kind, entry in self._kind_entries(node).items():
            written = self._kind_fields(entry, kind, require_action=True)
            kinds[kind] = KindRule(**written)  # type: ignore[arg-type]  # checked by _kind_fields
        missing = [kind.value for kind in TermKind if kind not in kinds]
        if missing:
            raise self.error(node.line, f"no rule for the term kind(s) {', '.join(missing)}",
                             "add 'KIND: {action: ...}' under 'kinds' for each")
        signals_node = fields.get("signals")
        signals = frozenset(self._kind(name, signals_node.line if signals_node else doc.line)
                            for name in string_list(signals_node, self.file, "signals"))
        platforms: dict[str, PlatformRules] = {}
        platforms_node = fields.get("platforms")
        if platforms_node is not None and platforms_node.value is not None:
            entries = mapping(platforms_node, self.file, "'platforms'",
                              "write 'platforms:' then one 'PLATFORM-ID:' block each")
            for key, entry in entries.items():
                platforms[key] = self._platform(key, entry)
        return SearchRules(kinds, signals, self._categories(fields.get("categories")), platforms,
                           version, self.file)

    def _kind_entries(self, node: Node) -> dict[TermKind, Node]:
        entries = mapping(node, self.file, "'kinds'", "write 'kinds:' then 'KIND: {action: ...}'")
        return {self._kind(key, entry.line): entry for key, entry in entries.items()}

    def _kind(self, name: str, line: int) -> TermKind:
        try:
            return TermKind(name)
        except ValueError:
            raise self.error(line, f"unknown term kind {name!r}",
                             f"use one of: {_KINDS}") from None

    def _action(self, node: Node, what: str) -> SearchAction:
        if not isinstance(node.value, str):
            raise self.error(node.line, f"{what} must be an action", f"use one of: {_ACTIONS}")
        try:
            return SearchAction(node.value)
        except ValueError:
            raise self.error(node.line, f"unknown action {node.value!r} in {what}",
                             f"use one of: {_ACTIONS}") from None

    def _kind_fields(self, entry: Node, kind: TermKind, *,
                     require_action: bool) -> dict[str, object]:
        fields = mapping(entry, self.file, f"the rule for {kind.value!r}",
                         "write it as {action: ..., min_weight: ...}")
        no_unknown_keys(fields, _KIND_KEYS, self.file, entry.line, f"{kind.value!r} rule")
        if require_action and "action" not in fields:
            raise self.error(entry.line, f"the rule for {kind.value!r} has no 'action'",
                             f"add 'action:' with one of: {_ACTIONS}")
        out: dict[str, object] = {}
        for key, node in fields.items():
            if key == "min_weight":
                if not isinstance(node.value, float) or not 0 <= node.value <= 1:
                    raise self.error(node.line, f"min_weight of {kind.value!r} must be a number "
                                     "from 0 to 1", "write e.g. 'min_weight: 0.6'")
                out[key] = node.value
            else:
                out[key] = self._action(node, f"{kind.value}.{key}")
        return out

    def _categories(self, node: Node | None) -> dict[str, dict[TermKind, SearchAction]]:
        if node is None or node.value is None:
            return {}
        entries = mapping(node, self.file, "'categories'",
                          "write 'categories:' then 'CATEGORY: {KIND: ACTION}' lines")
        out: dict[str, dict[TermKind, SearchAction]] = {}
        for key, entry in entries.items():
            if self.categories is not None and key not in self.categories:
                raise self.error(entry.line, f"unknown policy category {key!r}",
                                 f"use one of: {', '.join(sorted(self.categories))}")
            kinds = mapping(entry, self.file, f"categories.{key}",
                            "write it as {KIND: ACTION, ...}")
            out[key] = {self._kind(name, value.line): self._action(value, f"{key}.{name}")
                        for name, value in kinds.items()}
        return out

    def _platform(self, key: str, entry: Node) -> PlatformRules:
        if not _PLATFORM.match(key):
            raise self.error(entry.line, f"platform id {key!r} is not valid",
                             "use lower-case letters, digits, '.', '_' and '-'")
        fields = mapping(entry, self.file, f"platforms.{key}",
                         "write 'kinds:', 'categories:' and 'return_hosts:' under it")
        no_unknown_keys(fields, _PLATFORM_KEYS, self.file, entry.line, f"platforms.{key}")
        kinds: dict[TermKind, Mapping[str, object]] = {}
        kinds_node = fields.get("kinds")
        if kinds_node is not None:
            for kind, kind_entry in self._kind_entries(kinds_node).items():
                kinds[kind] = self._kind_fields(kind_entry, kind, require_action=False)
        hosts_node = fields.get("return_hosts")
        hosts = string_list(hosts_node, self.file, "return_hosts")
        for host in hosts:
            if not _HOST.match(host):
                raise self.error(hosts_node.line if hosts_node else entry.line,
                                 f"return host {host!r} is not a host name",
                                 "write host names only, e.g. shop.example.com (no scheme, "
                                 "no path)")
        return PlatformRules(kinds, self._categories(fields.get("categories")),
                             frozenset(hosts))


# -- the checker ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _TermInfo:
    """One lexicon term as a query rule sees it."""

    text: str
    kind: TermKind
    group: str
    category: str | None
    weight: float


# A candidate: (term, start, end) in the normalised query.
_Hit = tuple[_TermInfo, int, int]
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 ")
_REPEATS = re.compile(r"([a-z])\1+")
_MAX_LOCALE_TAGS = 4096
_PRIVATE = re.compile(r"\S*@\S*|\d{6,}")  # e-mail addresses, handles, phone and ID numbers


class SearchChecker:
    """Checks search queries against the lexicon, the query rules and the policy.

    Build one per process with :meth:`for_detector` and share it; when the lexicon changes,
    build a new one from the new detector with :meth:`with_detector` (it keeps the rules, the
    messages and the counter). ``check`` is safe to call from several threads.
    """

    def __init__(self, normalizer: Normalizer, patterns: list[str],
                 terms: list[list[_TermInfo]], rules: SearchRules, messages: Messages, *,
                 counter: SearchCounter | None = None, cache_size: int = DEFAULT_CACHE_SIZE,
                 detector: Detector | None = None, policy: Policy | None = None) -> None:
        self.normalizer = normalizer
        self.rules = rules
        self.messages = messages
        self.counter = counter
        self.detector = detector
        self.policy = policy
        self._terms = terms
        self._lengths = [len(pattern) for pattern in patterns]
        self._left = [pattern[:1] in _WORD for pattern in patterns]
        self._right = [pattern[-1:] in _WORD for pattern in patterns]
        self._hashtags = {pattern: index for index, pattern in enumerate(patterns)
                          if pattern.startswith("#")}
        self._automaton = ahocorasick.Automaton()
        for index, pattern in enumerate(patterns):
            self._automaton.add_word(pattern, index)
        self._automaton.make_automaton()
        self._tables: dict[str | None, _PlatformTable] = {}
        self._locales: dict[str | None, str] = {}
        self._cache_size = cache_size
        self._cached = functools.lru_cache(maxsize=cache_size)(self._evaluate)

    @classmethod
    def for_detector(cls, detector: Detector, policy: Policy, *,
                     rules: SearchRules | None = None, messages: Messages | None = None,
                     counter: SearchCounter | None = None,
                     cache_size: int = DEFAULT_CACHE_SIZE) -> SearchChecker:
        """A checker on the detector's normaliser and compiled lexicon (the same patterns the
        scanner matches), with the shipped rules and messages unless given. Cheap: a few
        milliseconds for the shipped lexicon."""
        category_ids = [category.id for category in policy.categories]
        rules = rules if rules is not None else load_search_rules(categories=category_ids)
        messages = messages if messages is not None else load_messages(categories=category_ids)
        compiled = detector.compiled
        terms = [[_TermInfo(term.text, term.kind, term.group,
                            _category_id(policy, term.group), term.weight)
                  for term in bucket] for bucket in compiled.terms]
        return cls(compiled.normalizer, compiled.patterns, terms, rules, messages,
                   counter=counter, cache_size=cache_size, detector=detector, policy=policy)

    def with_detector(self, detector: Detector, policy: Policy | None = None) -> SearchChecker:
        """A new checker for a rebuilt detector (a changed lexicon) and optionally a new policy,
        keeping this one's rules, messages and counter; the old one stays usable meanwhile."""
        chosen = policy if policy is not None else self.policy
        if chosen is None:
            raise ValueError("this checker was built without a policy; pass one")
        return SearchChecker.for_detector(detector, chosen, rules=self.rules,
                                          messages=self.messages, counter=self.counter,
                                          cache_size=self._cache_size)

    def check(self, query: str, locale: str | None = None, platform: str | None = None, *,
              count: bool = True) -> SearchResult:
        """What the search box should do with ``query``; ``locale`` is a language tag (the
        message falls back to a shipped locale, see :meth:`Messages.resolve_locale`) and
        ``platform`` the platform id, whose overrides in the rules apply. Counted unless
        ``count=False`` (the hosted interstitial re-checks a query already counted)."""
        result, counted_query = self._cached(query[:MAX_QUERY_CHARS], locale, platform)
        if count and self.counter is not None:
            self.counter.add(platform, locale, result, counted_query)
        return result

    def return_hosts(self, platform: str | None) -> frozenset[str]:
        """Hosts the hosted interstitial may link back to for ``platform``."""
        return self.rules.return_hosts(platform)

    def normalize(self, query: str) -> str:
        """The query as matched: the scanner's normalisation, one string at a time, stripped.
        Plain ASCII words and numbers skip the compiled path (same answer, a test checks)."""
        query = query[:MAX_QUERY_CHARS]
        light = _light_normalize(query)
        if light is not None:
            return light
        return " ".join(self.normalizer.normalize(query).split())

    def cache_clear(self) -> None:
        self._cached.cache_clear()

    # -- internals --------------------------------------------------------------------------------

    def _evaluate(self, query: str, locale: str | None,
                  platform: str | None) -> tuple[SearchResult, str]:
        text = self.normalize(query)
        hits = self._find(text)
        chosen_locale = self._locales.get(locale)
        if chosen_locale is None:
            chosen_locale = self.messages.resolve_locale(locale)
            if len(self._locales) < _MAX_LOCALE_TAGS:
                self._locales[locale] = chosen_locale
        if not hits:
            return SearchResult(SearchAction.ALLOW, None, None, None, None, None, chosen_locale,
                                text), ""
        if len(hits) > 1:
            hits = _outermost(hits)
        table = self._table(platform)
        covered = _covers(text, hits)
        # A weak term (lighter than its kind's min_weight) is no signal for others either.
        signals = [(start, end) for term, start, end in hits
                   if term.kind in self.rules.signals
                   and term.weight >= table.rule(term).min_weight]
        best: tuple[int, float, int] | None = None
        decided: tuple[SearchAction, _TermInfo] | None = None
        for term, start, end in hits:
            if term.kind is TermKind.BENIGN:
                continue
            rule = table.rule(term)
            action = rule.action if term.weight >= rule.min_weight else rule.weak
            if rule.phrase is not None and not covered and \
                    action.severity > rule.phrase.severity:
                action = rule.phrase
            if rule.with_signal is not None and \
                    action.severity < rule.with_signal.severity and \
                    any(e <= start or s >= end for s, e in signals):
                action = rule.with_signal
            rank = (action.severity, term.weight, -start)
            if best is None or rank > best:
                best, decided = rank, (action, term)
        if decided is None:  # only benign phrases
            return SearchResult(SearchAction.ALLOW, None, None, None, None, None, chosen_locale,
                                text), ""
        action, term = decided
        counted = _PRIVATE.sub("…", text)
        if action is SearchAction.ALLOW:
            return SearchResult(action, term.group, term.category, term.text, None, None,
                                chosen_locale, text), counted
        message = self.messages.message(chosen_locale, term.category, action.value)
        return SearchResult(action, term.group, term.category, term.text, message,
                            message.learn_more_url, chosen_locale, text), counted

    def _find(self, text: str) -> list[_Hit]:
        lengths, left, right, terms = self._lengths, self._left, self._right, self._terms
        size = len(text)
        hits: list[_Hit] = []
        for last, index in self._automaton.iter(text):
            end = last + 1
            start = end - lengths[index]
            if left[index] and start > 0 and text[start - 1] in _WORD:
                continue
            if right[index] and end < size and text[end] in _WORD:
                continue
            hits.extend((term, start, end) for term in terms[index])
        if " " not in text and text[:1] != "#":
            # A single word may be a hashtag typed without its '#' ("tigerselfie").
            tag = self._hashtags.get("#" + text)
            if tag is not None:
                hits.extend((term, 0, size) for term in terms[tag])
        return hits

    def _table(self, platform: str | None) -> _PlatformTable:
        key = platform if platform in self.rules.platforms else None
        table = self._tables.get(key)
        if table is None:
            table = _PlatformTable(*self.rules.for_platform(key))
            self._tables[key] = table
        return table


class _PlatformTable:
    """The rules in force on one platform, per (category, kind), worked out once each."""

    def __init__(self, kinds: dict[TermKind, KindRule],
                 categories: dict[str, dict[TermKind, SearchAction]]) -> None:
        self.kinds = kinds
        self.categories = categories
        self._rules: dict[tuple[str | None, TermKind], KindRule] = {}

    def rule(self, term: _TermInfo) -> KindRule:
        key = (term.category, term.kind)
        rule = self._rules.get(key)
        if rule is None:
            rule = self.kinds[term.kind]
            changed = self.categories.get(term.category or "")
            if changed is not None and term.kind in changed:
                rule = replace(rule, action=changed[term.kind])
            self._rules[key] = rule
        return rule


def _category_id(policy: Policy, group: str) -> str | None:
    category = policy.category_for(group)
    return category.id if category is not None else None


def _light_normalize(query: str) -> str | None:
    """The normaliser's answer for plain ASCII words and numbers, computed in Python: lower case,
    spaces collapsed, repeated letters squeezed. None when the query needs the full normaliser
    (digits inside words, punctuation, other scripts, single letters in a row that may be a
    split word)."""
    if not query.isascii():
        return None
    lowered = query.lower()
    if not _PLAIN.issuperset(lowered):
        return None
    words = lowered.split()
    single = False
    for word in words:
        if not (word.isalpha() or word.isdigit()):
            return None  # "1v0ry", "10cm": leetspeak is the normaliser's call
        if len(word) == 1:
            if single:
                return None
            single = True
        else:
            single = False
    return _REPEATS.sub(r"\1", " ".join(words))


def _outermost(hits: list[_Hit]) -> list[_Hit]:
    """Drop a term found inside a benign phrase, or inside a longer term of its own group."""
    kept = []
    for term, start, end in hits:
        for other, other_start, other_end in hits:
            if other_start <= start and end <= other_end and \
                    (other_start != start or other_end != end) and \
                    (other.kind is TermKind.BENIGN or other.group == term.group):
                break
        else:
            kept.append((term, start, end))
    return kept


def _covers(text: str, hits: list[_Hit]) -> bool:
    """Whether the terms found cover every character of the query but spaces."""
    at = 0
    for start, end in sorted((start, end) for _, start, end in hits):
        if start > at and text[at:start].strip(" "):
            return False
        at = max(at, end)
    return not text[at:].strip(" ")


def safe_return_url(url: str | None, allowed_hosts: frozenset[str]) -> str | None:
    """``url`` if the interstitial may link to it, else None: a path on this site ("/search?q=
    x", not "//evil.example" or "/\\evil.example"), or an http(s) address on one of
    ``allowed_hosts`` (the platform's ``return_hosts`` in the search rules). No other scheme
    (``javascript:``, ``data:``), no credentials, no control characters."""
    if not url or len(url) > 2048 or any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        return None
    if "\\" in url:
        return None
    if url.startswith("/"):
        return None if url.startswith("//") else url
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host or parts.username is not None \
            or parts.password is not None:
        return None
    # A host registered without a port allows only the scheme's own port.
    netloc = host if port is None else f"{host}:{port}"
    return url if netloc in allowed_hosts else None
