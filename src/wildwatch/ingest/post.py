"""The post: one listing or social-media post, as a platform sends it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec


class Seller(msgspec.Struct, omit_defaults=True, gc=False):
    """Who posted it. The bio matters: sellers put contact handles there."""

    id: str | None = None
    name: str | None = None
    bio: str | None = None


class Post(msgspec.Struct, omit_defaults=True, gc=False):
    """A post to scan. Only ``id`` is required; unknown fields are kept in ``extra``."""

    id: str
    title: str = ""
    text: str = ""
    description: str = ""
    hashtags: list[str] = msgspec.field(default_factory=list)
    price: float | None = None
    currency: str | None = None
    url: str | None = None
    platform: str | None = None
    lang: str | None = None
    created_at: str | None = None
    seller: Seller | None = None
    images: list[str] = msgspec.field(default_factory=list)
    extra: dict[str, Any] = msgspec.field(default_factory=dict)

    def segments(self) -> list[tuple[str, str]]:
        """The text a detector reads, as ``(field, text)``; hashtags one by one, with their '#'."""
        out = [("title", self.title), ("text", self.text), ("description", self.description)]
        for position, tag in enumerate(self.hashtags):
            out.append((f"hashtags[{position}]", tag if tag.startswith("#") else "#" + tag))
        return out


POST_FIELDS = frozenset(Post.__struct_fields__) - {"extra"}


class PostError(ValueError):
    """A record is not a valid post; the message says what is wrong and how to fix it."""


def post_from_mapping(record: Mapping[str, Any]) -> Post:
    """Validate a decoded record (from JSON, CSV or Parquet) into a :class:`Post`."""
    if not isinstance(record, Mapping):
        raise PostError(f"a post must be a JSON object, not {type(record).__name__}")
    known = {key: value for key, value in record.items() if key in POST_FIELDS}
    extra = {key: value for key, value in record.items() if key not in POST_FIELDS}
    if "id" not in known or known["id"] is None or known["id"] == "":
        raise PostError("the post has no 'id'; every post needs a unique string id")
    if isinstance(known["id"], int) and not isinstance(known["id"], bool):
        known["id"] = str(known["id"])  # numeric ids from CSV or JSON are common and harmless
    for key in ("title", "text", "description"):
        if known.get(key) is None:
            known.pop(key, None)
    if extra:
        known["extra"] = extra
    try:
        return msgspec.convert(known, Post, strict=False)
    except msgspec.ValidationError as exc:
        raise PostError(_explain(str(exc))) from None


def _explain(message: str) -> str:
    # msgspec says e.g. "Expected `str`, got `int` - at `$.title`"; name the field plainly.
    if " - at `$." in message:
        problem, _, where = message.partition(" - at `$.")
        return f"field '{where.rstrip('`')}': {problem.lower()}"
    return message
