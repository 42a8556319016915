"""What the detector says about one post."""

from __future__ import annotations

import enum
from typing import Any

import msgspec


class Level(enum.StrEnum):
    """How far a verdict went: nothing to do, a person should look, or safe for automatic action."""

    CLEAR = "clear"
    REVIEW = "review"
    LIKELY = "likely"


class Match(msgspec.Struct, frozen=True, gc=False):
    """A lexicon term found in a post, located where the seller wrote it.

    ``start`` and ``end`` are character offsets into the post's ``field`` as received (for
    ``hashtags[N]``, into that tag with its '#'), so ``text == field_value[start:end]``.
    """

    term: str
    kind: str
    group: str
    field: str
    start: int
    end: int
    text: str


class Verdict(msgspec.Struct, gc=False):
    """The detector's answer for one post."""

    id: str
    score: float
    flagged: bool
    level: Level = Level.CLEAR
    species: list[str] = msgspec.field(default_factory=list)
    matches: list[Match] = msgspec.field(default_factory=list)
    reasons: list[str] = msgspec.field(default_factory=list)
    lexicon_version: str = ""
    scorer: str = ""
    model_version: str | None = None
    platform: str | None = None
    lang: str | None = None
    extra: dict[str, Any] = msgspec.field(default_factory=dict)
