"""Awareness messages: what a person who searches for a listed term is told, in their language.

Messages are data, written for the public and edited by analysts: one YAML file per locale in
``data/messages/`` (``en.yaml``, ``zh-Hans.yaml``, ...), each with a message per policy category
and a ``generic`` one, the button labels and one sentence per search action. ``en.yaml`` is the
reference: every other locale must have exactly its keys. Errors name the file, the line and
the fix. See docs/engaging-users.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import msgspec

from wildwatch.datafiles import (
    DataFileError,
    Node,
    mapping,
    no_unknown_keys,
    read_mapping,
    required_str,
)

REFERENCE_LOCALE = "en"
GENERIC = "generic"
#: The actions that show a message, and the sentence each adds ("You can still see...").
NOTE_KEYS = ("warn", "redirect", "block")
BUTTON_KEYS = ("learn_more", "go_back", "show_results")

_FILE_KEYS = {"locale", "language", "buttons", "notes", "messages"}
_MESSAGE_KEYS = {"title", "body", "learn_more_url"}
_LOCALE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# Chinese: the script follows the region when the tag names no script.
_TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo"})


class MessagesError(DataFileError):
    """A messages file is not valid. The message names the file, the line and the fix."""


class AwarenessMessage(msgspec.Struct, frozen=True, gc=False):
    """What the interstitial shows, in one language, ready to display as plain text."""

    title: str
    body: str
    note: str
    """What happens to the search (results shown after a warning, or none)."""
    learn_more_url: str
    learn_more: str
    go_back: str
    show_results: str | None
    """The label of "show results anyway"; None where the action offers no results."""


@dataclass(frozen=True, slots=True)
class _Text:
    title: str
    body: str
    learn_more_url: str


@dataclass(frozen=True, slots=True)
class LocaleMessages:
    """One locale's file, parsed."""

    locale: str
    language: str
    """The language's name in itself ("Tiếng Việt"), for a language switch."""
    buttons: Mapping[str, str]
    notes: Mapping[str, str]
    texts: Mapping[str, _Text]
    file: str


class Messages:
    """Every locale's messages, checked against each other; picks the locale for a request."""

    def __init__(self, locales: Mapping[str, LocaleMessages], version: str) -> None:
        self.locales = dict(locales)
        self.version = version
        self._by_lower = {locale.lower(): locale for locale in self.locales}
        self._languages: dict[str, str] = {}
        for locale in sorted(self.locales):  # "zh" finds zh-Hans before zh-Hant
            self._languages.setdefault(locale.split("-")[0], locale)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.locales[REFERENCE_LOCALE].texts)

    def resolve_locale(self, tag: str | None) -> str:
        """The shipped locale for a requested language tag: exact (any case, ``_`` or ``-``),
        else Chinese by script or region (zh-TW, zh-HK, zh-MO -> zh-Hant; zh, zh-CN -> zh-Hans),
        else by language (pt-BR -> pt), else English."""
        if not tag:
            return REFERENCE_LOCALE
        wanted = tag.strip().replace("_", "-").lower()
        exact = self._by_lower.get(wanted)
        if exact is not None:
            return exact
        parts = wanted.split("-")
        if parts[0] == "zh":
            rest = set(parts[1:])
            traditional = "hant" in rest or (bool(rest & _TRADITIONAL_REGIONS)
                                             and "hans" not in rest)
            chosen = "zh-Hant" if traditional else "zh-Hans"
            if chosen in self.locales:
                return chosen
        return self._languages.get(parts[0], REFERENCE_LOCALE)

    def message(self, locale: str, key: str | None, action: str) -> AwarenessMessage:
        """The message for policy category ``key`` (the generic one if it has none) in a shipped
        ``locale``, for search action ``action`` (warn, redirect or block)."""
        found = self.locales.get(locale) or self.locales[REFERENCE_LOCALE]
        text = found.texts.get(key or GENERIC) or found.texts[GENERIC]
        return AwarenessMessage(
            title=text.title, body=text.body, note=found.notes[action],
            learn_more_url=text.learn_more_url, learn_more=found.buttons["learn_more"],
            go_back=found.buttons["go_back"],
            show_results=found.buttons["show_results"] if action == "warn" else None)


def default_messages_dir() -> Path:
    """The shipped messages."""
    return Path(str(resources.files("wildwatch.engage") / "data" / "messages"))


def load_messages(folder: Path | str | None = None, *,
                  categories: Iterable[str] | None = None) -> Messages:
    """Load every ``<locale>.yaml`` in ``folder`` (default: the shipped messages) and check them:
    each file is well formed, ``en.yaml`` exists, every locale has exactly the keys of
    ``en.yaml``, and (given ``categories``, the policy's category ids) every key is ``generic``
    or a category. Raises :class:`MessagesError` for the first problem."""
    root = Path(folder) if folder is not None else default_messages_dir()
    files = sorted(root.glob("*.yaml"))
    if not any(path.stem == REFERENCE_LOCALE for path in files):
        raise MessagesError(str(root / f"{REFERENCE_LOCALE}.yaml"), 0,
                            "the reference locale file is missing",
                            f"add {REFERENCE_LOCALE}.yaml: every other locale is checked "
                            "against it")
    digest = hashlib.sha256()
    locales: dict[str, LocaleMessages] = {}
    for path in files:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise MessagesError(str(path), 0, "the file is not UTF-8 text",
                                "save it as UTF-8") from None
        try:
            parsed = _parse(text, str(path))
        except MessagesError:
            raise
        except DataFileError as exc:
            raise MessagesError(exc.file, exc.line, exc.problem, exc.fix) from None
        locales[parsed.locale] = parsed
    reference = locales[REFERENCE_LOCALE]
    allowed = None if categories is None else {GENERIC, *categories}
    for key in reference.texts:
        if allowed is not None and key not in allowed:
            raise MessagesError(reference.file, _line_of(reference.file, key),
                                f"message {key!r} is neither 'generic' nor a policy category",
                                f"use one of: {', '.join(sorted(allowed))}")
    for parsed in locales.values():
        _same_keys(parsed, reference)
    return Messages(locales, digest.hexdigest()[:12])


def _parse(text: str, file: str) -> LocaleMessages:
    doc = read_mapping(text, file, "start with 'locale:' and 'messages:' keys")
    fields: dict[str, Node] = doc.value
    no_unknown_keys(fields, _FILE_KEYS, file, doc.line, "messages file")
    locale = required_str(fields, "locale", file, doc.line)
    stem = Path(file).stem
    if not _LOCALE.match(locale):
        raise MessagesError(file, fields["locale"].line, f"locale {locale!r} is not a "
                            "language tag", "write it like en, vi, zh-Hans or pt-BR")
    if locale != stem:
        raise MessagesError(file, fields["locale"].line, f"locale {locale!r} differs from the "
                            f"file name {Path(file).name!r}",
                            f"name the file {locale}.yaml or write 'locale: {stem}'")
    buttons = _labels(fields, "buttons", BUTTON_KEYS, file, doc.line)
    notes = _labels(fields, "notes", NOTE_KEYS, file, doc.line)
    node = fields.get("messages")
    if node is None:
        raise MessagesError(file, doc.line, "missing 'messages'",
                            "add 'messages:' with a 'generic:' message and one per category")
    entries = mapping(node, file, "'messages'", "write 'messages:' then one 'KEY:' block each")
    texts: dict[str, _Text] = {}
    for key, entry in entries.items():
        if not _KEY.match(key):
            raise MessagesError(file, entry.line, f"message key {key!r} is not a plain name",
                                "use 'generic' or a policy category id")
        body = mapping(entry, file, f"message {key!r}",
                       "write 'title:', 'body:' and 'learn_more_url:' under it")
        no_unknown_keys(body, _MESSAGE_KEYS, file, entry.line, f"message {key!r}")
        url = required_str(body, "learn_more_url", file, entry.line)
        if not url.startswith("https://") or any(ch.isspace() for ch in url):
            raise MessagesError(file, body["learn_more_url"].line,
                                f"learn_more_url of {key!r} is not an https:// address",
                                "link a public https:// page that exists (never invent one)")
        texts[key] = _Text(_clean(required_str(body, "title", file, entry.line)),
                           _clean(required_str(body, "body", file, entry.line)), url)
    if GENERIC not in texts:
        raise MessagesError(file, node.line, "there is no 'generic' message",
                            "add 'generic:' with title, body and learn_more_url: it is shown "
                            "for any category without a message of its own")
    return LocaleMessages(locale, _clean(required_str(fields, "language", file, doc.line)),
                          buttons, notes, texts, file)


def _labels(fields: dict[str, Node], section: str, keys: tuple[str, ...], file: str,
            line: int) -> dict[str, str]:
    node = fields.get(section)
    if node is None:
        raise MessagesError(file, line, f"missing '{section}'",
                            f"add '{section}:' with {', '.join(keys)}")
    entries = mapping(node, file, f"'{section}'", f"write '{section}:' then 'key: text' lines")
    no_unknown_keys(entries, set(keys), file, node.line, section)
    return {key: _clean(required_str(entries, key, file, node.line)) for key in keys}


def _same_keys(parsed: LocaleMessages, reference: LocaleMessages) -> None:
    missing = [key for key in reference.texts if key not in parsed.texts]
    if missing:
        raise MessagesError(parsed.file, _line_of(parsed.file, "messages"),
                            f"locale {parsed.locale!r} has no message {missing[0]!r} "
                            f"({len(missing)} missing)",
                            f"copy '{missing[0]}:' from {REFERENCE_LOCALE}.yaml and translate it")
    extra = [key for key in parsed.texts if key not in reference.texts]
    if extra:
        raise MessagesError(parsed.file, _line_of(parsed.file, extra[0]),
                            f"message {extra[0]!r} is not in {REFERENCE_LOCALE}.yaml",
                            f"add it to {REFERENCE_LOCALE}.yaml first, or delete it here")


def _line_of(file: str, key: str) -> int:
    """The first line that starts the YAML key ``key`` (the parsed values lack key lines)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    for number, line in enumerate(Path(file).read_text(encoding="utf-8").splitlines(), 1):
        if pattern.match(line):
            return number
    return 0


def _clean(text: str) -> str:
    return " ".join(text.split())
