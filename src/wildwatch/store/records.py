"""What the store hands back: plain typed records, never live database rows."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import msgspec


def utcnow() -> datetime:
    """Now, in UTC, naive (the store keeps every time in UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def month_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


class Role(enum.StrEnum):
    """Who may do what. People have the first five; a platform's API keys are ``integration``.

    A ``spotter`` is a registered citizen volunteer: they report listings and propose terms,
    and see only their own reports.
    """

    ADMIN = "admin"
    ANALYST = "analyst"
    MODERATOR = "moderator"
    VIEWER = "viewer"
    SPOTTER = "spotter"
    INTEGRATION = "integration"


PEOPLE_ROLES = (Role.ADMIN, Role.ANALYST, Role.MODERATOR, Role.VIEWER, Role.SPOTTER)


class ActionSource(enum.StrEnum):
    """Who set a post's current action. A reviewer's outranks the policy's, always."""

    POLICY = "policy"
    REVIEWER = "reviewer"


class ItemStatus(enum.StrEnum):
    OPEN = "open"
    DECIDED = "decided"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class User(msgspec.Struct, frozen=True):
    id: int
    username: str
    role: Role
    locale: str
    active: bool


class ApiKey(msgspec.Struct, frozen=True):
    id: int
    name: str
    prefix: str
    platform: str
    role: Role


class Receipt(msgspec.Struct):
    """What ``POST /v1/posts`` answers for one post."""

    id: str
    platform: str
    created: bool
    action: str
    action_source: str
    rule_id: str | None
    category: str | None
    review_item: int | None
    verdict: dict[str, Any]
    shadow: list[dict[str, str]] = msgspec.field(default_factory=list)


class QueueEntry(msgspec.Struct):
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


class DecisionRecord(msgspec.Struct):
    id: int
    item_id: int
    post_pk: int
    user: str
    action: str
    reason: str
    note: str
    created_at: datetime


class AuditEntry(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    verb: str
    subject: str
    detail: dict[str, Any]


class PostSummary(msgspec.Struct):
    post_pk: int
    platform: str
    post_id: str
    title: str
    score: float
    level: str
    action: str
    received_at: datetime
    shared_terms: int = 0


class ItemView(msgspec.Struct):
    """Everything a moderator sees for one review item."""

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
    seller_history: list[PostSummary]
    similar: list[PostSummary]
    decisions: list[DecisionRecord]
    audit: list[AuditEntry]


class Webhook(msgspec.Struct):
    id: int
    platform: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class Delivery(msgspec.Struct):
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
