"""The console's languages: message catalogues as YAML files beside this module, one per locale.

Each file is a mapping of sections to messages (``queue: {title: Review queue}``); a template asks
for ``t("queue.title")``. Messages may name values in braces (``{count} items``), filled by
``t("...", count=3)``; the result is plain text that the template escapes like any other.
A translator adds a language by copying ``en.yaml``, translating the values and adding the
locale to :data:`LOCALES`; a test checks that every catalogue has the same keys and placeholders.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wildwatch.datafiles import DataFileError, Node, read_mapping

HERE = Path(__file__).parent
#: The interface languages, the first the default; each has ``<locale>.yaml`` here.
LOCALES = ("en", "zh-Hans")
DEFAULT_LOCALE = LOCALES[0]
#: What each language is called in itself, for the language switch.
LANGUAGE_NAMES = {"en": "English", "zh-Hans": "简体中文"}

Translate = Callable[..., str]


def catalogue_path(locale: str) -> Path:
    return HERE / f"{locale}.yaml"


@functools.cache
def catalogue(locale: str) -> Mapping[str, str]:
    """The messages of ``locale``, flattened to dotted keys; errors name the file and line."""
    path = catalogue_path(locale)
    root = read_mapping(path.read_text(encoding="utf-8"), str(path),
                        "start with a section name, e.g. 'nav:'")
    out: dict[str, str] = {}
    _flatten(root, "", str(path), out)
    return out


def _flatten(node: Node, prefix: str, file: str, out: dict[str, str]) -> None:
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            _flatten(child, f"{prefix}{key}.", file, out)
        return
    key = prefix.rstrip(".")
    if not isinstance(node.value, str) or not node.value.strip():
        raise DataFileError(file, node.line, f"the message {key!r} is not text",
                            "write the message as text, quoted if it holds ':' or '#'")
    out[key] = node.value


def placeholders(message: str) -> frozenset[str]:
    """The names a message fills in: ``{count} items`` -> {"count"}."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(message) if name)


def normalize_locale(tag: str | None) -> str | None:
    """The interface language for a language tag (``zh-CN`` -> ``zh-Hans``), or None.

    Every Chinese tag gets Simplified Chinese: a Traditional-Chinese reader follows it more
    easily than English.
    """
    if not tag:
        return None
    lowered = tag.strip().lower().replace("_", "-")
    for locale in LOCALES:
        if lowered == locale.lower():
            return locale
    primary = lowered.split("-", 1)[0]
    if primary == "zh":
        return "zh-Hans"
    return "en" if primary == "en" else None


def from_accept_language(header: str | None) -> str | None:
    """The best interface language an ``Accept-Language`` header asks for, or None."""
    if not header:
        return None
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        locale = normalize_locale(tag)
        if locale is not None and weight > 0:
            choices.append((-weight, position, locale))
    return min(choices)[2] if choices else None


def translator(locale: str) -> Translate:
    """``t(key, **values)`` for ``locale``; a key missing there falls back to English, then
    shows itself (a test keeps that from happening)."""
    messages = catalogue(locale)
    fallback = catalogue(DEFAULT_LOCALE)

    def t(key: str, /, **values: Any) -> str:
        message = messages.get(key) or fallback.get(key)
        if message is None:
            return key
        return message.format(**values) if values else message

    return t


__all__ = ["DEFAULT_LOCALE", "LANGUAGE_NAMES", "LOCALES", "Translate", "catalogue",
           "from_accept_language", "normalize_locale", "placeholders", "translator"]
