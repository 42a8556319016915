"""The post as a moderator reads it: every field's text escaped, the matched words marked in place.

Listing text is hostile, so the HTML is built here from the verdict's offsets, never by a
template filter: each field is cut into plain segments, escaped, and ``<mark>`` segments whose
tags are the only markup we write. Matches may overlap ("ivory" inside "ivory carving"); marks
never nest, as overlapping and touching matches are merged into one mark naming every term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

#: The text fields a detector reads, in the order a moderator reads them.
TEXT_FIELDS = ("title", "text", "description")
_HASHTAG_FIELD = re.compile(r"hashtags\[(\d+)\]\Z")


@dataclass(frozen=True, slots=True)
class Span:
    """A matched stretch of one field: ``text[start:end]``, and what the lexicon called it."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class HighlightedField:
    """One field of a post, ready for a template: its name and its escaped, marked-up text."""

    name: str
    html: Markup
    marks: int


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` escaped, with each span wrapped in ``<mark>``.

    Spans outside the text are clipped, empty ones dropped; overlapping or touching spans become
    one mark whose ``title`` lists their labels.
    """
    merged: list[tuple[int, int, list[str]]] = []
    clipped = sorted((max(0, s.start), min(len(text), s.end), s.label) for s in spans)
    for start, end, label in clipped:
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            last_start, last_end, labels = merged[-1]
            if label not in labels:
                labels.append(label)
            merged[-1] = (last_start, max(last_end, end), labels)
        else:
            merged.append((start, end, [label]))
    out: list[str] = []
    position = 0
    for start, end, labels in merged:
        out.append(escape(text[position:start]))
        out.append(Markup('<mark class="hit" title="{}">{}</mark>').format(
            "; ".join(labels), text[start:end]))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def highlighted_fields(post: Mapping[str, Any], matches: Iterable[Mapping[str, Any]]
                       ) -> list[HighlightedField]:
    """The post's text fields and hashtags as received, with the verdict's matches marked.

    A match whose offsets do not give back its text (the post changed under it) is not marked:
    a mark on the wrong words misleads more than a missing one.
    """
    spans: dict[str, list[Span]] = {}
    for match in matches:
        field, start, end = match.get("field"), match.get("start"), match.get("end")
        if not isinstance(field, str) or not isinstance(start, int) or not isinstance(end, int):
            continue
        value = _field_value(post, field)
        if value is None or not 0 <= start < end <= len(value) \
                or value[start:end] != match.get("text"):
            continue
        label = f"{match.get('term', '')} ({match.get('group', '')})"
        spans.setdefault(field, []).append(Span(start, end, label))
    out: list[HighlightedField] = []
    for name in TEXT_FIELDS:
        value = post.get(name)
        if isinstance(value, str) and value:
            out.append(HighlightedField(name, highlight(value, spans.get(name, [])),
                                        len(spans.get(name, []))))
    tags = post.get("hashtags")
    if isinstance(tags, list):
        for index, tag in enumerate(tags):
            if not isinstance(tag, str):
                continue
            name = f"hashtags[{index}]"
            html = highlight(tag, spans.get(name, []))
            # A tag sent without its '#' is shown with one; the offsets count in the tag as sent.
            if not tag.startswith("#"):
                html = Markup("#") + html
            out.append(HighlightedField(name, html, len(spans.get(name, []))))
    return out


def _field_value(post: Mapping[str, Any], field: str) -> str | None:
    hashtag = _HASHTAG_FIELD.match(field)
    if hashtag is not None:
        tags = post.get("hashtags")
        index = int(hashtag.group(1))
        if isinstance(tags, list) and index < len(tags) and isinstance(tags[index], str):
            return str(tags[index])
        return None
    value = post.get(field)
    return value if isinstance(value, str) else None
