"""The API's request and response bodies, as the OpenAPI document at /docs shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DecisionAction = Literal["remove", "block_seller", "allow", "escalate"]
PeopleRole = Literal["admin", "analyst", "moderator", "viewer", "spotter"]


class SellerIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str | None = Field(default=None, max_length=256)
    name: str | None = None
    bio: str | None = None


class PostIn(BaseModel):
    """A post as the platform has it. Only ``id`` is required; other fields are kept as sent."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1, max_length=256)
    title: str | None = None
    text: str | None = None
    description: str | None = None
    hashtags: list[str] = Field(default_factory=list)
    # Strict: a number, as the document says; not true/false or a string of digits.
    price: float | None = Field(default=None, strict=True)
    currency: str | None = None
    url: str | None = None
    platform: str | None = Field(default=None, min_length=1, max_length=64)
    lang: str | None = None
    created_at: str | None = None
    seller: SellerIn | None = None
    images: list[str] = Field(default_factory=list)


class PostBatchIn(BaseModel):
    posts: list[PostIn] = Field(min_length=1)


class MatchOut(BaseModel):
    term: str
    kind: str
    group: str
    field: str
    start: int
    end: int
    text: str


class VerdictOut(BaseModel):
    id: str
    score: float
    flagged: bool
    level: Literal["clear", "review", "likely"]
    species: list[str]
    matches: list[MatchOut]
    reasons: list[str]
    lexicon_version: str
    scorer: str
    model_version: str | None = None
    platform: str | None = None
    lang: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class ShadowOut(BaseModel):
    rule: str
    action: str


class ReceiptOut(BaseModel):
    id: str
    platform: str
    created: bool = Field(description="False when this post was received before (the stored "
                          "record is returned; a repeat counts as a sighting).")
    action: Literal["allow", "review", "escalate", "remove", "block_seller"]
    action_source: Literal["policy", "reviewer"]
    rule_id: str | None
    category: str | None
    review_item: int | None
    verdict: VerdictOut
    shadow: list[ShadowOut] = Field(default_factory=list)


class ReceiptsOut(BaseModel):
    results: list[ReceiptOut]


class Problem(BaseModel):
    index: int | None = None
    id: Any = None
    error: str


class ErrorOut(BaseModel):
    detail: str | list[Any]
    problems: list[Problem] = Field(default_factory=list)


class QueueEntryOut(BaseModel):
    item_id: int
    post_pk: int
    platform: str
    post_id: str
    title: str
    score: float
    level: str
    species: list[str]
    priority: float
    sightings: int
    reports: int
    created_at: datetime
    claimed_by: str | None
    claimed_until: datetime | None


class PostSummaryOut(BaseModel):
    post_pk: int
    platform: str
    post_id: str
    title: str
    score: float
    level: str
    action: str
    received_at: datetime
    shared_terms: int


class DecisionOut(BaseModel):
    id: int
    item_id: int
    post_pk: int
    user: str
    action: str
    reason: str
    note: str
    created_at: datetime


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    verb: str
    subject: str
    detail: dict[str, Any]


class ItemOut(BaseModel):
    item_id: int
    status: str
    priority: float
    reports: int
    claimed_by: str | None
    claimed_until: datetime | None
    created_at: datetime
    post_pk: int
    platform: str
    post: dict[str, Any]
    verdict: dict[str, Any]
    action: str
    action_source: str
    rule_id: str | None
    category: str | None
    sightings: int
    seller_id: str | None
    seller_blocked: bool
    seller_history: list[PostSummaryOut]
    similar: list[PostSummaryOut]
    decisions: list[DecisionOut]
    audit: list[AuditOut]


class ClaimOut(BaseModel):
    item_id: int
    claimed_until: datetime


class DecisionIn(BaseModel):
    action: DecisionAction
    reason: str = Field(min_length=1, max_length=128, description="The policy reason: a "
                        "category id such as 'elephant_ivory', or 'not-wildlife'.")
    note: str = Field(default="", max_length=4000)


class WebhookIn(BaseModel):
    url: str = Field(pattern=r"^https?://[^\s]+$", max_length=2048)
    events: list[Literal["post.action", "post.decision"]] = Field(
        default=["post.action", "post.decision"], min_length=1)
    platform: str | None = Field(default=None, min_length=1, max_length=64,
                                 description="Admins only; an API key's own platform otherwise.")


class WebhookOut(BaseModel):
    id: int
    platform: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Signs every delivery (HMAC-SHA256); shown only now.")


class DeliveryOut(BaseModel):
    id: int
    webhook_id: int
    event: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=12, max_length=256)
    role: PeopleRole
    locale: Literal["en", "zh-Hans"] = "en"


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    locale: str
    active: bool


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    platform: str = Field(min_length=1, max_length=64, description="The platform it may send "
                          "and see; '*' for every platform (only for a person's key).")
    user: str | None = Field(default=None, max_length=64, description="Make a key that acts "
                             "as this person, with their role; without it, an integration key.")


class ApiKeyOut(BaseModel):
    key: str = Field(description="Shown only now; Wildwatch keeps only its hash.")
