"""Load and validate lexicon files, with errors that name the file, the line and the fix.

One YAML file per species group. The shape (see docs/lexicon.md)::

    id: elephant
    name: Elephant ivory
    description: ...
    cites: "Appendix I (Appendix II for four southern African populations)"
    taxa: [Loxodonta africana, Elephas maximus]
    sources:
      seed: "Coalition keyword slides, TRAFFIC China"
    terms:
      - {text: ivory, kind: product, lang: en, source: seed}
      - {text: ivory bangle, kind: product, lang: en, weight: 0.8, source: seed,
         variants: [ivorry bangle]}
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from wildwatch.datafiles import (
    DataFileError,
    Node,
    no_unknown_keys,
    optional_str,
    package_data_dir,
    read_mapping,
    required_str,
    string_list,
    string_map,
)
from wildwatch.lexicon.model import DEFAULT_WEIGHT, Group, Lexicon, Term, TermKind

_GROUP_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_GROUP_KEYS = {"id", "name", "description", "cites", "taxa", "sources", "terms"}
_TERM_KEYS = {"text", "kind", "lang", "weight", "source", "variants", "note"}
_KINDS = ", ".join(kind.value for kind in TermKind)


class LexiconError(DataFileError):
    """A lexicon file is not valid. The message names the file, the line and the fix."""


def default_lexicon_dir() -> Path:
    """The lexicon shipped inside the package, or the one named by ``WILDWATCH_LEXICON``."""
    return package_data_dir("wildwatch.lexicon", "WILDWATCH_LEXICON")


def load_lexicon(directory: Path | str | None = None) -> Lexicon:
    """Load every ``*.yaml`` file of ``directory`` (default: the shipped lexicon).

    Raises :class:`LexiconError` for the first invalid entry found.
    """
    folder = Path(directory) if directory is not None else default_lexicon_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise LexiconError(str(folder), 0, "no *.yaml lexicon files here",
                           "point --lexicon at a folder of group files")
    digest = hashlib.sha256()
    groups: dict[str, Group] = {}
    for path in files:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        group = parse_group(raw.decode("utf-8"), str(path))
        if group.id in groups:
            raise LexiconError(str(path), 1, f"group id {group.id!r} is also used by "
                               f"{groups[group.id].file}", "give each group file its own id")
        groups[group.id] = group
    return Lexicon(groups=groups, version=digest.hexdigest()[:12])


def parse_group(text: str, file: str) -> Group:
    """Parse one group file's text; ``file`` is only used in error messages."""
    try:
        return _parse_group(text, file)
    except LexiconError:
        raise
    except DataFileError as exc:
        raise LexiconError(exc.file, exc.line, exc.problem, exc.fix) from None


def _parse_group(text: str, file: str) -> Group:
    doc = read_mapping(text, file, "start with 'id:', 'name:' and 'terms:' keys")
    fields: dict[str, Node] = doc.value
    no_unknown_keys(fields, _GROUP_KEYS, file, doc.line, "group")
    group_id = required_str(fields, "id", file, doc.line)
    if not _GROUP_ID.match(group_id):
        raise LexiconError(file, fields["id"].line, f"group id {group_id!r} is not a plain name",
                           "use lower-case letters, digits and '_' (e.g. marine_turtle)")
    sources = string_map(fields.get("sources"), file, "sources")
    group = Group(
        id=group_id,
        name=required_str(fields, "name", file, doc.line),
        description=optional_str(fields, "description", file) or "",
        cites=optional_str(fields, "cites", file) or "",
        taxa=string_list(fields.get("taxa"), file, "taxa"),
        sources=sources,
        file=file,
    )
    terms_node = fields.get("terms")
    if terms_node is None or not isinstance(terms_node.value, list) or not terms_node.value:
        raise LexiconError(file, terms_node.line if terms_node else doc.line,
                           "'terms' must be a non-empty list",
                           "add '- {text: ..., kind: ...}' items")
    seen: dict[str, int] = {}
    for item in terms_node.value:
        for term in _parse_term(item, group, file):
            key = f"{term.kind}\0{term.text.casefold()}"
            if key in seen:
                raise LexiconError(file, term.line, f"term {term.text!r} ({term.kind}) is listed "
                                   f"twice, first on line {seen[key]}", "delete one of them")
            seen[key] = term.line
            group.terms.append(term)
    return group


def _parse_term(item: Node, group: Group, file: str) -> Iterable[Term]:
    if not isinstance(item.value, dict):
        raise LexiconError(file, item.line, "a term must be a mapping",
                           "write it as {text: ..., kind: ..., lang: ...}")
    fields: dict[str, Node] = item.value
    no_unknown_keys(fields, _TERM_KEYS, file, item.line, "term")
    text = required_str(fields, "text", file, item.line).strip()
    if not text:
        raise LexiconError(file, item.line, "a term's text is empty", "write the words to match")
    kind_name = required_str(fields, "kind", file, item.line)
    try:
        kind = TermKind(kind_name)
    except ValueError:
        raise LexiconError(file, fields["kind"].line, f"unknown kind {kind_name!r}",
                           f"use one of: {_KINDS}") from None
    lang = required_str(fields, "lang", file, item.line)
    weight = DEFAULT_WEIGHT[kind]
    if "weight" in fields:
        raw = fields["weight"].value
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
            raise LexiconError(file, fields["weight"].line, f"weight {raw!r} is not a number "
                               "from 0 to 1", "write e.g. 'weight: 0.6' or leave it out")
        weight = float(raw)
    source: str | None = None
    if "source" in fields and fields["source"].value is not None:
        source = str(fields["source"].value)
        if source not in group.sources and not source.startswith("http"):
            raise LexiconError(file, fields["source"].line, f"source {source!r} is not in this "
                               "file's 'sources'", "add it under 'sources:' or give a URL")
    note = optional_str(fields, "note", file)
    if kind is TermKind.HASHTAG and not text.startswith("#"):
        raise LexiconError(file, item.line, f"hashtag {text!r} does not start with '#'",
                           "write it as it appears, e.g. '#carvedivory'")
    yield Term(text, kind, group.id, lang, weight, source, None, note, file, item.line)
    for variant in string_list(fields.get("variants"), file, "variants"):
        if kind is TermKind.HASHTAG and not variant.startswith("#"):
            raise LexiconError(file, fields["variants"].line, f"hashtag variant {variant!r} "
                               "does not start with '#'", "write it with its '#'")
        yield Term(variant, kind, group.id, lang, weight, source, text, note, file,
                   fields["variants"].line)
