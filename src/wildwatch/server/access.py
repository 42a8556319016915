"""Who may call what: one registry from permission to roles, and the request's principal.

Every route names one :class:`Permission` (it shows in the OpenAPI document as
``x-permission``); :data:`GRANTS` is the only place that says which roles hold it. A test walks
every route with every role against this table.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass

from wildwatch.store.records import ApiKey, Role, User


class Permission(enum.StrEnum):
    POSTS_WRITE = "posts:write"
    POSTS_READ = "posts:read"
    QUEUE_READ = "queue:read"
    REVIEW_DECIDE = "review:decide"
    METRICS_READ = "metrics:read"
    LEXICON_READ = "lexicon:read"
    POLICY_READ = "policy:read"
    AUDIT_READ = "audit:read"
    WEBHOOKS_MANAGE = "webhooks:manage"
    PEOPLE_MANAGE = "people:manage"
    SEARCH_CHECK = "search:check"
    SEARCH_TRENDS = "search:trends"
    REPORT_SUBMIT = "report:submit"
    REPORTS_OWN = "reports:own"
    SPOTTERS_COORDINATE = "spotters:coordinate"
    TERMS_PROPOSE = "terms:propose"
    TERMS_DECIDE = "terms:decide"


_EVERYONE = frozenset(Role) - {Role.SPOTTER}
_PEOPLE = frozenset({Role.ADMIN, Role.ANALYST, Role.MODERATOR, Role.VIEWER})
_STAFF_AND_SPOTTERS = frozenset({Role.ADMIN, Role.ANALYST, Role.MODERATOR, Role.SPOTTER})

GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.POSTS_WRITE: frozenset({Role.ADMIN, Role.INTEGRATION}),
    Permission.POSTS_READ: _EVERYONE,
    Permission.QUEUE_READ: _PEOPLE,
    Permission.REVIEW_DECIDE: frozenset({Role.ADMIN, Role.MODERATOR}),
    Permission.METRICS_READ: _EVERYONE,
    Permission.LEXICON_READ: _EVERYONE,
    Permission.POLICY_READ: _EVERYONE,
    Permission.AUDIT_READ: frozenset({Role.ADMIN, Role.ANALYST}),
    Permission.WEBHOOKS_MANAGE: frozenset({Role.ADMIN, Role.INTEGRATION}),
    Permission.PEOPLE_MANAGE: frozenset({Role.ADMIN}),
    Permission.SEARCH_CHECK: frozenset(Role),
    Permission.SEARCH_TRENDS: frozenset({Role.ADMIN, Role.ANALYST}),
    # Anyone may report, logged in or not (see the reports routes); these are the roles.
    Permission.REPORT_SUBMIT: frozenset(Role) - {Role.INTEGRATION},
    Permission.REPORTS_OWN: frozenset({Role.SPOTTER, Role.ADMIN, Role.ANALYST, Role.MODERATOR}),
    Permission.SPOTTERS_COORDINATE: frozenset({Role.ADMIN, Role.ANALYST}),
    Permission.TERMS_PROPOSE: _STAFF_AND_SPOTTERS,
    Permission.TERMS_DECIDE: frozenset({Role.ADMIN, Role.ANALYST}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a person (by session or key) or a machine (by API key).

    ``platform`` is set for API keys: such a caller sees and changes only its platform's data.
    """

    role: Role
    actor: str
    user: User | None = None
    platform: str | None = None
    via_session: bool = False

    def may(self, permission: Permission) -> bool:
        return self.role in GRANTS[permission]

    @classmethod
    def of_user(cls, user: User, *, via_session: bool) -> Principal:
        return cls(user.role, f"user:{user.username}", user=user, via_session=via_session)

    @classmethod
    def of_key(cls, key: ApiKey, user: User | None) -> Principal:
        actor = f"key:{key.prefix}" if user is None else f"user:{user.username}"
        return cls(key.role, actor, user=user,
                   platform=None if key.platform == "*" else key.platform)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)
