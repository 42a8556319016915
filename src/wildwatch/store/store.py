"""The store: every post received, what the policy did, the review queue, decisions and audit.

One class, :class:`Store`, with the operations the service needs, each one transaction. The same
code runs on SQLite and PostgreSQL (the tests run every operation on both).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from wildwatch.detect.verdict import Level, Verdict
from wildwatch.ingest.post import Post
from wildwatch.ingest.urls import listing_url_key
from wildwatch.policy import Action, PolicyOutcome
from wildwatch.store.database import Database
from wildwatch.store.records import (
    ActionSource,
    ApiKey,
    AuditEntry,
    DecisionRecord,
    Delivery,
    DeliveryStatus,
    ItemStatus,
    ItemView,
    PostSummary,
    QueueEntry,
    Receipt,
    Role,
    User,
    Webhook,
    month_of,
    utcnow,
)
from wildwatch.store.schema import (
    actions,
    api_keys,
    audit_log,
    blocked_sellers,
    decisions,
    listing_urls,
    post_species,
    post_terms,
    posts,
    review_items,
    users,
    webhook_deliveries,
    webhooks,
)

#: Actions that put a post in the review queue.
QUEUED_ACTIONS = frozenset({Action.REVIEW, Action.ESCALATE})
#: What a reviewer may decide.
REVIEW_DECISIONS = (Action.REMOVE, Action.BLOCK_SELLER, Action.ALLOW, Action.ESCALATE)
#: Webhook events.
EVENTS = ("post.action", "post.decision")
#: Priority: the score, plus this much per repeat sighting (at most five count) ...
SIGHTING_WEIGHT = 0.05
#: ... and a reported post's weight per report (a spotter's track record scales it).
REPORT_WEIGHT = 0.1

_JSON = msgspec.json.Encoder()
_HASHER = PasswordHasher()


class StoreConflict(RuntimeError):
    """The operation conflicts with the current state (item claimed by someone else, decided)."""


class NotFound(LookupError):
    """No such record."""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One post to record: as received, as scanned, and what the policy said."""

    post: Post
    body: bytes
    verdict: Verdict
    outcome: PolicyOutcome
    policy_version: str


def hash_api_key(key: str) -> str:
    # API keys are 32 random bytes: a fast hash is enough (unlike passwords).
    return hashlib.sha256(key.encode()).hexdigest()


class Store:
    """Wildwatch's durable state, on a :class:`~wildwatch.store.database.Database`."""

    def __init__(self, database: Database) -> None:
        self.db = database

    # -- people and keys -------------------------------------------------------------------------

    def create_user(self, username: str, password: str, role: Role, locale: str = "en",
                    *, actor: str = "system") -> User:
        if len(password) < 12:
            raise ValueError("a password needs at least 12 characters")
        if not username or len(username) > 64:
            raise ValueError("a username needs 1 to 64 characters")
        now = utcnow()
        try:
            with self.db.write() as conn:
                user_id = conn.execute(users.insert().values(
                    username=username, password_hash=_HASHER.hash(password), role=role.value,
                    locale=locale, active=True, created_at=now).returning(users.c.id)).scalar_one()
                _audit(conn, actor, "user.create", f"user:{user_id}",
                       {"username": username, "role": role.value}, now)
        except IntegrityError:
            raise StoreConflict(f"a user named {username!r} already exists") from None
        return User(user_id, username, role, locale, True)

    def authenticate(self, username: str, password: str) -> User | None:
        with self.db.read() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        if row is None or not row.active:
            _HASHER.hash(password)  # same work either way: no user enumeration by timing
            return None
        try:
            _HASHER.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return _user(row)

    def user(self, user_id: int) -> User | None:
        with self.db.read() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return None if row is None else _user(row)

    def users(self) -> list[User]:
        with self.db.read() as conn:
            return [_user(row) for row in conn.execute(select(users).order_by(users.c.username))]

    def set_locale(self, user_id: int, locale: str) -> None:
        with self.db.write() as conn:
            conn.execute(update(users).where(users.c.id == user_id).values(locale=locale))

    def create_api_key(self, name: str, platform: str, *, username: str | None = None,
                       actor: str = "system") -> str:
        """A new key; returns it in full, the only time it is ever shown.

        Without ``username`` it is an integration key for one ``platform`` (a machine sending
        posts). With it, the key acts as that person, with their role (``platform`` may be
        ``*`` for all platforms).
        """
        if platform == "*" and username is None:
            raise ValueError("an integration key belongs to one platform, not '*'")
        prefix = secrets.token_hex(4)
        key = f"ww_{prefix}_{secrets.token_urlsafe(32)}"
        now = utcnow()
        with self.db.write() as conn:
            role, user_id = Role.INTEGRATION.value, None
            if username is not None:
                person = conn.execute(select(users.c.id, users.c.role).where(
                    users.c.username == username)).first()
                if person is None:
                    raise NotFound(f"there is no user {username!r}")
                role, user_id = person.role, person.id
            key_id = conn.execute(api_keys.insert().values(
                name=name, prefix=prefix, key_hash=hash_api_key(key), platform=platform,
                role=role, user_id=user_id, created_at=now).returning(api_keys.c.id)).scalar_one()
            _audit(conn, actor, "api_key.create", f"api_key:{key_id}",
                   {"name": name, "platform": platform, "prefix": prefix, "user": username}, now)
        return key

    def api_key(self, key: str) -> tuple[ApiKey, User | None] | None:
        """The key and, for a person's key, the person; None if unknown, revoked or inactive."""
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != "ww":
            return None
        with self.db.read() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.prefix == parts[1])).first()
            if row is None or row.revoked_at is not None:
                return None
            if not secrets.compare_digest(row.key_hash, hash_api_key(key)):
                return None
            person = None
            if row.user_id is not None:
                user_row = conn.execute(select(users).where(users.c.id == row.user_id)).first()
                if user_row is None or not user_row.active:
                    return None
                person = _user(user_row)
        role = person.role if person is not None else Role(row.role)
        return ApiKey(row.id, row.name, row.prefix, row.platform, role), person

    # -- posts in ---------------------------------------------------------------------------------

    def receive(self, batch: Sequence[Incoming], *, actor: str) -> list[Receipt]:
        """Record a batch of scanned posts and what the policy decided, in one transaction.

        Idempotent per (platform, post id): a post seen before is one more sighting, not a new
        record. If its content changed, the new verdict is stored, and the policy's new action
        applies unless a reviewer has decided the post: a reviewer's decision always stands.
        """
        now = utcnow()
        receipts: list[Receipt | None] = [None] * len(batch)
        with self.db.write() as conn:
            first: dict[tuple[str, str], int] = {}
            for index, item in enumerate(batch):
                first.setdefault((_platform(item.post), item.post.id), index)
            # Insert first: the insert skips posts stored before, so new posts (nearly all of
            # them) need no look-up, and PostgreSQL settles a race between two requests.
            inserted = self._insert_posts(conn, [batch[i] for i in first.values()], now, actor)
            for key, index in first.items():
                receipts[index] = inserted.get(key)
            # The rest are sightings: posts stored before, by another request a moment ago
            # (PostgreSQL lets it win the insert), or earlier in this very batch.
            pending = [index for index, receipt in enumerate(receipts) if receipt is None]
            keys = [(_platform(batch[i].post), batch[i].post.id) for i in pending]
            known = self._known(conn, list(dict.fromkeys(keys)))   # one look-up for them all
            sighted: set[tuple[str, str]] = set()
            for index, key in zip(pending, keys, strict=True):
                if key in sighted:  # seen again in this batch: read what the last one wrote
                    known.update(self._known(conn, [key]))
                receipts[index] = self._sighting(conn, known[key], batch[index], now, actor)
                sighted.add(key)
        return [receipt for receipt in receipts if receipt is not None]

    def _known(self, conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        found: dict[tuple[str, str], Any] = {}
        by_platform: dict[str, list[str]] = {}
        for platform, post_id in keys:
            by_platform.setdefault(platform, []).append(post_id)
        for platform, ids in by_platform.items():
            for start in range(0, len(ids), 500):
                rows = conn.execute(
                    select(posts.c.id, posts.c.platform, posts.c.post_id, posts.c.body,
                           posts.c.verdict, posts.c.action, posts.c.action_source,
                           posts.c.rule_id, posts.c.category, review_items.c.id.label("item"))
                    .outerjoin(review_items, review_items.c.post_pk == posts.c.id)
                    .where(posts.c.platform == platform,
                           posts.c.post_id.in_(ids[start:start + 500])))
                for row in rows:
                    found[(row.platform, row.post_id)] = row
        return found

    def _insert_posts(self, conn: Connection, items: list[Incoming], now: datetime,
                      actor: str) -> dict[tuple[str, str], Receipt]:
        if not items:
            return {}
        blocked = self._blocked(conn, items)
        rows = []
        outcomes: list[tuple[Action, str | None, str | None]] = []
        for item in items:
            action, rule_id, category = (item.outcome.action, item.outcome.rule_id,
                                         item.outcome.category)
            seller = _seller(item.post)
            if seller is not None and (_platform(item.post), seller) in blocked \
                    and action.severity < Action.REMOVE.severity:
                action, rule_id = Action.REMOVE, "seller-blocked"
            outcomes.append((action, rule_id, category))
            rows.append(_post_row(item, now, action, rule_id, category))
        statement = _insert_ignoring_conflicts(conn, posts).returning(
            posts.c.id, posts.c.platform, posts.c.post_id)
        returned = conn.execute(statement, rows).all()
        pk_of = {(row.platform, row.post_id): row.id for row in returned}

        species_rows, term_rows, action_rows, item_rows, audit_rows, blocks = [], [], [], [], [], []
        receipts: dict[tuple[str, str], Receipt] = {}
        queued: list[tuple[str, str]] = []
        for item, (action, rule_id, category) in zip(items, outcomes, strict=True):
            platform = _platform(item.post)
            key = (platform, item.post.id)
            if key not in pk_of:
                continue
            pk = pk_of[key]
            verdict = item.verdict
            species_rows += [{"post_pk": pk, "species": group} for group in set(verdict.species)]
            term_rows += [{"post_pk": pk, "term": term[:128]}
                          for term in {match.term for match in verdict.matches}]
            if action is not Action.ALLOW:
                action_rows.append(_action_row(pk, platform, action, ActionSource.POLICY,
                                               rule_id, False, now))
                audit_rows.append(_audit_row(actor, "policy.action", f"post:{pk}",
                                             {"action": action.value, "rule": rule_id}, now))
            for shadow in item.outcome.shadow:
                action_rows.append(_action_row(pk, platform, shadow.action, ActionSource.POLICY,
                                               shadow.rule_id, True, now))
            if action in QUEUED_ACTIONS:
                item_rows.append({"post_pk": pk, "status": ItemStatus.OPEN.value,
                                  "priority": verdict.score, "reports": 0, "created_at": now})
                queued.append(key)
            seller = _seller(item.post)
            if action is Action.BLOCK_SELLER and seller is not None:
                blocks.append({"platform": platform, "seller_id": seller, "post_pk": pk,
                               "blocked_by": None, "blocked_at": now})
            receipts[key] = Receipt(
                id=item.post.id, platform=platform, created=True, action=action.value,
                action_source=ActionSource.POLICY.value, rule_id=rule_id, category=category,
                review_item=None, verdict=msgspec.to_builtins(verdict),
                shadow=[{"rule": s.rule_id, "action": s.action.value}
                        for s in item.outcome.shadow])
        for table, table_rows in ((post_species, species_rows), (post_terms, term_rows),
                                  (actions, action_rows), (audit_log, audit_rows)):
            if table_rows:
                conn.execute(table.insert(), table_rows)
        if blocks:
            conn.execute(_insert_ignoring_conflicts(conn, blocked_sellers), blocks)
        # Spotters report listings by URL: index each new post's canonical URL (engage.reports).
        urls = {url_key: pk_of[(_platform(item.post), item.post.id)] for item in items
                if item.post.url and (_platform(item.post), item.post.id) in pk_of
                and (url_key := listing_url_key(item.post.url)) is not None}
        if urls:
            conn.execute(_insert_ignoring_conflicts(conn, listing_urls),
                         [{"url_key": url_key, "post_pk": pk} for url_key, pk in urls.items()])
        if item_rows:
            created = conn.execute(review_items.insert().returning(
                review_items.c.id, review_items.c.post_pk), item_rows).all()
            item_of = {row.post_pk: row.id for row in created}
            for key in queued:
                receipts[key].review_item = item_of[pk_of[key]]
        self._enqueue_deliveries(conn, "post.action", [
            r for r in receipts.values() if r.action != Action.ALLOW.value], now)
        return receipts

    def _sighting(self, conn: Connection, row: Any, item: Incoming, now: datetime,
                  actor: str) -> Receipt:
        changed = row.body != item.body.decode()
        values: dict[str, Any] = {"sightings": posts.c.sightings + 1}
        action, source, rule_id, category = row.action, row.action_source, row.rule_id, row.category
        verdict = msgspec.json.decode(row.verdict)
        if changed:
            verdict = msgspec.to_builtins(item.verdict)
            values.update(body=item.body.decode(), score=item.verdict.score,
                          level=item.verdict.level.value, flagged=item.verdict.flagged,
                          verdict=_JSON.encode(item.verdict).decode())
            new = item.outcome
            if source == ActionSource.REVIEWER.value:
                _audit(conn, actor, "policy.action_dropped", f"post:{row.id}",
                       {"would_be": new.action.value, "rule": new.rule_id,
                        "why": "a reviewer decided this post; their decision stands"}, now)
            elif new.action.value != action:
                action, rule_id, category = new.action.value, new.rule_id, new.category
                values.update(action=action, rule_id=rule_id, category=category)
                conn.execute(actions.insert().values(_action_row(
                    row.id, row.platform, new.action, ActionSource.POLICY, rule_id, False, now)))
                _audit(conn, actor, "policy.action", f"post:{row.id}",
                       {"action": action, "rule": rule_id, "why": "content changed"}, now)
        conn.execute(update(posts).where(posts.c.id == row.id).values(**values))
        item_id = row.item
        if item_id is not None:
            conn.execute(update(review_items).where(
                review_items.c.id == item_id, review_items.c.status == ItemStatus.OPEN.value)
                .values(priority=review_items.c.priority + SIGHTING_WEIGHT))
        elif changed and Action(action) in QUEUED_ACTIONS:
            item_id = conn.execute(review_items.insert().values(
                post_pk=row.id, status=ItemStatus.OPEN.value, priority=item.verdict.score,
                reports=0, created_at=now).returning(review_items.c.id)).scalar_one()
        return Receipt(id=row.post_id, platform=row.platform, created=False, action=action,
                       action_source=source, rule_id=rule_id, category=category,
                       review_item=item_id, verdict=verdict)

    def _blocked(self, conn: Connection, items: list[Incoming]) -> set[tuple[str, str]]:
        wanted: dict[str, set[str]] = {}
        for item in items:
            seller = _seller(item.post)
            if seller is not None:
                wanted.setdefault(_platform(item.post), set()).add(seller)
        found: set[tuple[str, str]] = set()
        for platform, sellers in wanted.items():
            rows = conn.execute(select(blocked_sellers.c.seller_id).where(
                blocked_sellers.c.platform == platform,
                blocked_sellers.c.seller_id.in_(sorted(sellers))))
            found.update((platform, row.seller_id) for row in rows)
        return found

    def post_count(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(posts)).scalar_one())

    # -- review -----------------------------------------------------------------------------------

    def queue(self, *, limit: int = 50, offset: int = 0, platform: str | None = None,
              species: str | None = None) -> list[QueueEntry]:
        """Open review items, most urgent first: priority, then the oldest."""
        query = (select(review_items, posts.c.platform, posts.c.post_id, posts.c.body,
                        posts.c.score, posts.c.level, posts.c.verdict, posts.c.sightings,
                        users.c.username)
                 .join(posts, posts.c.id == review_items.c.post_pk)
                 .outerjoin(users, users.c.id == review_items.c.claimed_by)
                 .where(review_items.c.status == ItemStatus.OPEN.value)
                 .order_by(review_items.c.priority.desc(), review_items.c.created_at,
                           review_items.c.id)
                 .limit(limit).offset(offset))
        if platform is not None:
            query = query.where(posts.c.platform == platform)
        if species is not None:
            query = query.where(posts.c.id.in_(select(post_species.c.post_pk).where(
                post_species.c.species == species)))
        with self.db.read() as conn:
            rows = conn.execute(query).all()
        now = utcnow()
        out = []
        for row in rows:
            body = msgspec.json.decode(row.body)
            verdict = msgspec.json.decode(row.verdict)
            held = row.claimed_until is not None and row.claimed_until > now
            out.append(QueueEntry(
                item_id=row.id, post_pk=row.post_pk, platform=row.platform, post_id=row.post_id,
                title=_headline(body), score=row.score, level=row.level,
                species=verdict.get("species", []), priority=row.priority,
                sightings=row.sightings, reports=row.reports, created_at=row.created_at,
                claimed_by=row.username if held else None,
                claimed_until=row.claimed_until if held else None))
        return out

    def queue_depth(self) -> tuple[int, datetime | None]:
        """Open items, and when the oldest was queued."""
        with self.db.read() as conn:
            row = conn.execute(select(func.count(), func.min(review_items.c.created_at)).where(
                review_items.c.status == ItemStatus.OPEN.value)).one()
        return int(row[0]), row[1]

    def claim(self, item_id: int, user: User, minutes: int = 15) -> datetime:
        """Lock an item for ``user`` for ``minutes``; two moderators never hold the same item.

        One conditional UPDATE does it, so the database settles a race between two claims.
        """
        now = utcnow()
        until = now + timedelta(minutes=minutes)
        with self.db.write() as conn:
            claimed = conn.execute(update(review_items).where(
                review_items.c.id == item_id,
                review_items.c.status == ItemStatus.OPEN.value,
                or_(review_items.c.claimed_by.is_(None), review_items.c.claimed_until < now,
                    review_items.c.claimed_by == user.id),
            ).values(claimed_by=user.id, claimed_until=until)).rowcount
            if claimed != 1:
                raise self._why_not(conn, item_id, user, now)
            _audit(conn, f"user:{user.username}", "review.claim", f"review_item:{item_id}",
                   {"until": until.isoformat()}, now)
        return until

    def release(self, item_id: int, user: User) -> None:
        now = utcnow()
        with self.db.write() as conn:
            released = conn.execute(update(review_items).where(
                review_items.c.id == item_id, review_items.c.claimed_by == user.id,
                review_items.c.status == ItemStatus.OPEN.value,
            ).values(claimed_by=None, claimed_until=None)).rowcount
            if released != 1:
                raise self._why_not(conn, item_id, user, now)
            _audit(conn, f"user:{user.username}", "review.release", f"review_item:{item_id}",
                   {}, now)

    def decide(self, item_id: int, user: User, action: Action, reason: str,
               note: str = "") -> DecisionRecord:
        """Record a reviewer's decision on an item they hold; it becomes the post's action."""
        if action not in REVIEW_DECISIONS:
            raise ValueError(f"a reviewer decides one of "
                             f"{', '.join(a.value for a in REVIEW_DECISIONS)}, not {action.value}")
        now = utcnow()
        with self.db.write() as conn:
            taken = conn.execute(update(review_items).where(
                review_items.c.id == item_id, review_items.c.status == ItemStatus.OPEN.value,
                review_items.c.claimed_by == user.id, review_items.c.claimed_until >= now,
            ).values(status=ItemStatus.DECIDED.value, decided_at=now, claimed_until=None)).rowcount
            if taken != 1:
                raise self._why_not(conn, item_id, user, now)
            post = conn.execute(select(posts.c.id, posts.c.platform, posts.c.post_id,
                                       posts.c.seller_id).join(
                review_items, review_items.c.post_pk == posts.c.id).where(
                review_items.c.id == item_id)).one()
            decision_id = conn.execute(decisions.insert().values(
                review_item_id=item_id, post_pk=post.id, user_id=user.id, action=action.value,
                reason=reason, note=note, created_at=now, month=month_of(now),
            ).returning(decisions.c.id)).scalar_one()
            conn.execute(update(posts).where(posts.c.id == post.id).values(
                action=action.value, action_source=ActionSource.REVIEWER.value,
                rule_id=None))
            conn.execute(actions.insert().values(_action_row(
                post.id, post.platform, action, ActionSource.REVIEWER, None, False, now)))
            if action is Action.BLOCK_SELLER and post.seller_id is not None:
                conn.execute(_insert_ignoring_conflicts(conn, blocked_sellers).values(
                    platform=post.platform, seller_id=post.seller_id, post_pk=post.id,
                    blocked_by=user.id, blocked_at=now))
            _audit(conn, f"user:{user.username}", "review.decide", f"review_item:{item_id}",
                   {"action": action.value, "reason": reason, "note": note,
                    "post": post.post_id}, now)
            record = DecisionRecord(decision_id, item_id, post.id, user.username, action.value,
                                    reason, note, now)
            self._enqueue_deliveries(conn, "post.decision", [{
                "event": "post.decision", "platform": post.platform, "id": post.post_id,
                "action": action.value, "reason": reason, "decided_by": user.role.value,
                "decided_at": now.isoformat() + "Z", "review_item": item_id}], now)
        return record

    def _why_not(self, conn: Connection, item_id: int, user: User,
                 now: datetime) -> Exception:
        row = conn.execute(select(review_items.c.status, review_items.c.claimed_until,
                                  users.c.username).outerjoin(
            users, users.c.id == review_items.c.claimed_by).where(
            review_items.c.id == item_id)).first()
        if row is None:
            return NotFound(f"there is no review item {item_id}")
        if row.status != ItemStatus.OPEN.value:
            return StoreConflict(f"review item {item_id} has already been decided")
        if row.username is not None and row.username != user.username \
                and row.claimed_until is not None and row.claimed_until >= now:
            return StoreConflict(f"review item {item_id} is claimed by {row.username} until "
                                 f"{row.claimed_until:%H:%M} UTC")
        return StoreConflict(f"claim review item {item_id} first (your claim may have expired)")

    def item(self, item_id: int) -> ItemView:
        """A review item with its post, verdict, seller history, similar posts and history."""
        with self.db.read() as conn:
            row = conn.execute(select(review_items, posts, users.c.username).join(
                posts, posts.c.id == review_items.c.post_pk).outerjoin(
                users, users.c.id == review_items.c.claimed_by).where(
                review_items.c.id == item_id)).first()
            if row is None:
                raise NotFound(f"there is no review item {item_id}")
            mapping = row._mapping
            post_pk = mapping[posts.c.id]
            platform, seller = mapping[posts.c.platform], mapping[posts.c.seller_id]
            history: list[PostSummary] = []
            blocked = False
            if seller is not None:
                history = _summaries(conn.execute(_summary_query().where(
                    posts.c.platform == platform, posts.c.seller_id == seller,
                    posts.c.id != post_pk).order_by(posts.c.received_at.desc()).limit(20)))
                blocked = conn.execute(select(func.count()).select_from(blocked_sellers).where(
                    blocked_sellers.c.platform == platform,
                    blocked_sellers.c.seller_id == seller)).scalar_one() > 0
            shared = (select(post_terms.c.post_pk, func.count().label("shared"))
                      .where(post_terms.c.term.in_(select(post_terms.c.term).where(
                          post_terms.c.post_pk == post_pk)), post_terms.c.post_pk != post_pk)
                      .group_by(post_terms.c.post_pk).subquery())
            similar = _summaries(conn.execute(
                _summary_query().add_columns(shared.c.shared)
                .join(shared, shared.c.post_pk == posts.c.id)
                .order_by(shared.c.shared.desc(), posts.c.received_at.desc()).limit(10)))
            decided = _decisions(conn.execute(_decision_query().where(
                decisions.c.review_item_id == item_id)))
            audit = [_audit_entry(r) for r in conn.execute(select(audit_log).where(
                audit_log.c.subject.in_([f"review_item:{item_id}", f"post:{post_pk}"]))
                .order_by(audit_log.c.id))]
        held = row.claimed_until is not None and row.claimed_until > utcnow()
        return ItemView(
            item_id=item_id, status=mapping[review_items.c.status],
            priority=mapping[review_items.c.priority], reports=mapping[review_items.c.reports],
            claimed_by=row.username if held else None,
            claimed_until=mapping[review_items.c.claimed_until] if held else None,
            created_at=mapping[review_items.c.created_at], post_pk=post_pk, platform=platform,
            post=msgspec.json.decode(mapping[posts.c.body]),
            verdict=msgspec.json.decode(mapping[posts.c.verdict]),
            action=mapping[posts.c.action], action_source=mapping[posts.c.action_source],
            rule_id=mapping[posts.c.rule_id], category=mapping[posts.c.category],
            sightings=mapping[posts.c.sightings], seller_id=seller, seller_blocked=blocked,
            seller_history=history, similar=similar, decisions=decided, audit=audit)

    def post_action(self, platform: str, post_id: str) -> Receipt:
        """A stored post's verdict and current action."""
        with self.db.read() as conn:
            row = self._known(conn, [(platform, post_id)]).get((platform, post_id))
        if row is None:
            raise NotFound(f"no post {post_id!r} on platform {platform!r}")
        return Receipt(id=row.post_id, platform=row.platform, created=False, action=row.action,
                       action_source=row.action_source, rule_id=row.rule_id,
                       category=row.category, review_item=row.item,
                       verdict=msgspec.json.decode(row.verdict))

    def decisions(self, *, since_id: int = 0, limit: int = 100,
                  platform: str | None = None) -> list[DecisionRecord]:
        query = _decision_query().where(decisions.c.id > since_id).limit(limit)
        if platform is not None:
            query = query.join(posts, posts.c.id == decisions.c.post_pk).where(
                posts.c.platform == platform)
        with self.db.read() as conn:
            return _decisions(conn.execute(query))

    def labelled_posts(self) -> Iterator[tuple[dict[str, Any], int]]:
        """Every decided post with the label its latest decision gives: 1 for remove or block,
        0 for allow (escalations are not labels: nobody has ruled yet)."""
        latest = (select(decisions.c.post_pk, func.max(decisions.c.id).label("last"))
                  .group_by(decisions.c.post_pk).subquery())
        query = (select(posts.c.body, decisions.c.action)
                 .join(latest, latest.c.post_pk == posts.c.id)
                 .join(decisions, decisions.c.id == latest.c.last)
                 .where(decisions.c.action != Action.ESCALATE.value)
                 .order_by(decisions.c.id))
        with self.db.read() as conn:
            for row in conn.execute(query):
                yield msgspec.json.decode(row.body), int(row.action != Action.ALLOW.value)

    def audit(self, *, subject: str | None = None, limit: int = 200,
              before_id: int | None = None) -> list[AuditEntry]:
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if subject is not None:
            query = query.where(audit_log.c.subject == subject)
        if before_id is not None:
            query = query.where(audit_log.c.id < before_id)
        with self.db.read() as conn:
            return [_audit_entry(row) for row in conn.execute(query)]

    def record_audit(self, actor: str, verb: str, subject: str,
                     detail: dict[str, Any] | None = None) -> None:
        with self.db.write() as conn:
            _audit(conn, actor, verb, subject, detail or {}, utcnow())

    # -- metrics ----------------------------------------------------------------------------------

    def metrics(self, *, platform: str | None = None) -> dict[str, Any]:
        """Counts for the dashboard: posts scanned, flagged, removed or blocked, by species,
        platform, action and month; queue depth and the oldest item's age."""
        scope = [] if platform is None else [posts.c.platform == platform]
        removed = posts.c.action.in_([Action.REMOVE.value, Action.BLOCK_SELLER.value])
        totals_query = select(
            func.count().label("scanned"),
            func.sum(case((posts.c.flagged, 1), else_=0)).label("flagged"),
            func.sum(case((removed, 1), else_=0)).label("removed_or_blocked"),
            func.sum(case((posts.c.action == Action.BLOCK_SELLER.value, 1), else_=0))
            .label("seller_blocked"),
            func.sum(case((posts.c.action_source == ActionSource.REVIEWER.value, 1), else_=0))
            .label("decided_by_reviewers"),
        ).where(*scope)

        def grouped(column: Any, *joins: Any) -> list[dict[str, Any]]:
            query = select(column.label("key"), func.count().label("posts"),
                           func.sum(case((posts.c.flagged, 1), else_=0)).label("flagged"),
                           func.sum(case((removed, 1), else_=0)).label("removed_or_blocked"))
            for table, condition in joins:
                query = query.join_from(posts, table, condition)
            query = query.where(*scope).group_by(column).order_by(column)
            return [{"key": r.key, "posts": int(r.posts), "flagged": int(r.flagged or 0),
                     "removed_or_blocked": int(r.removed_or_blocked or 0)}
                    for r in conn.execute(query)]

        with self.db.read() as conn:
            totals = conn.execute(totals_query).one()._mapping
            by_species = grouped(post_species.c.species,
                                 (post_species, post_species.c.post_pk == posts.c.id))
            by_platform = grouped(posts.c.platform)
            by_month = grouped(posts.c.month)
            by_action = [{"key": r.action, "posts": int(r.n)} for r in conn.execute(
                select(posts.c.action, func.count().label("n")).where(*scope)
                .group_by(posts.c.action).order_by(posts.c.action))]
            shadow = [{"rule": r.rule_id, "action": r.action, "posts": int(r.n)}
                      for r in conn.execute(
                select(actions.c.rule_id, actions.c.action, func.count().label("n"))
                .where(actions.c.shadow, *([] if platform is None
                                            else [actions.c.platform == platform]))
                .group_by(actions.c.rule_id, actions.c.action).order_by(actions.c.rule_id))]
        depth, oldest = self.queue_depth()
        return {
            "totals": {key: int(value or 0) for key, value in totals.items()},
            "by_species": by_species, "by_platform": by_platform, "by_month": by_month,
            "by_action": by_action, "shadow_rules": shadow,
            "queue": {"depth": depth,
                      "oldest_age_seconds": None if oldest is None
                      else int((utcnow() - oldest).total_seconds())},
        }

    # -- webhooks ---------------------------------------------------------------------------------

    def add_webhook(self, platform: str, url: str, events: Iterable[str] = EVENTS,
                    *, actor: str) -> tuple[Webhook, str]:
        """Register ``url`` for ``platform``'s events; returns it and its signing secret."""
        chosen = sorted(set(events))
        unknown = [e for e in chosen if e not in EVENTS]
        if unknown or not chosen:
            raise ValueError(f"events must be among {', '.join(EVENTS)}; got {chosen}")
        secret = secrets.token_urlsafe(32)
        now = utcnow()
        with self.db.write() as conn:
            hook_id = conn.execute(webhooks.insert().values(
                platform=platform, url=url, secret=secret, events=chosen, active=True,
                created_at=now).returning(webhooks.c.id)).scalar_one()
            _audit(conn, actor, "webhook.create", f"webhook:{hook_id}",
                   {"platform": platform, "url": url, "events": chosen}, now)
        return Webhook(hook_id, platform, url, chosen, True, now), secret

    def webhooks(self, platform: str | None = None) -> list[Webhook]:
        query = select(webhooks).order_by(webhooks.c.id)
        if platform is not None:
            query = query.where(webhooks.c.platform == platform)
        with self.db.read() as conn:
            return [Webhook(r.id, r.platform, r.url, list(r.events), r.active, r.created_at)
                    for r in conn.execute(query)]

    def webhook_secret(self, hook_id: int) -> str:
        with self.db.read() as conn:
            secret = conn.execute(select(webhooks.c.secret).where(
                webhooks.c.id == hook_id)).scalar()
        if secret is None:
            raise NotFound(f"there is no webhook {hook_id}")
        return str(secret)

    def deactivate_webhook(self, hook_id: int, *, actor: str) -> None:
        with self.db.write() as conn:
            if conn.execute(update(webhooks).where(webhooks.c.id == hook_id).values(
                    active=False)).rowcount != 1:
                raise NotFound(f"there is no webhook {hook_id}")
            _audit(conn, actor, "webhook.deactivate", f"webhook:{hook_id}", {}, utcnow())

    def _enqueue_deliveries(self, conn: Connection, event: str,
                            payloads: Sequence[Receipt | dict[str, Any]], now: datetime) -> None:
        if not payloads:
            return
        hooks = conn.execute(select(webhooks.c.id, webhooks.c.platform, webhooks.c.events)
                             .where(webhooks.c.active)).all()
        hooks = [hook for hook in hooks if event in hook.events]
        if not hooks:
            return
        rows = []
        for payload in payloads:
            body = payload if isinstance(payload, dict) else {
                "event": event, "platform": payload.platform, "id": payload.id,
                "action": payload.action, "rule": payload.rule_id,
                "category": payload.category, "score": payload.verdict.get("score"),
                "species": payload.verdict.get("species", []),
                "review_item": payload.review_item}
            encoded = _JSON.encode(body).decode()
            for hook in hooks:
                if hook.platform == body["platform"]:
                    rows.append({"webhook_id": hook.id, "event": event, "payload": encoded,
                                 "status": DeliveryStatus.PENDING.value, "attempts": 0,
                                 "next_attempt_at": now, "created_at": now})
        if rows:
            conn.execute(webhook_deliveries.insert(), rows)

    def due_deliveries(self, limit: int = 50) -> list[tuple[Delivery, str, str, str]]:
        """Pending deliveries whose time has come, with their URL, secret and payload."""
        query = (select(webhook_deliveries, webhooks.c.url, webhooks.c.secret)
                 .join(webhooks, webhooks.c.id == webhook_deliveries.c.webhook_id)
                 .where(webhook_deliveries.c.status == DeliveryStatus.PENDING.value,
                        webhook_deliveries.c.next_attempt_at <= utcnow(), webhooks.c.active)
                 .order_by(webhook_deliveries.c.next_attempt_at, webhook_deliveries.c.id)
                 .limit(limit))
        with self.db.read() as conn:
            return [(_delivery(row), row.url, row.secret, row.payload)
                    for row in conn.execute(query)]

    def delivery_attempted(self, delivery_id: int, *, status: int | None, error: str | None,
                           delivered: bool, retry_at: datetime | None) -> None:
        """Record one attempt: delivered, to retry at ``retry_at``, or failed for good."""
        now = utcnow()
        values: dict[str, Any] = {"attempts": webhook_deliveries.c.attempts + 1,
                                  "last_status": status, "last_error": error}
        if delivered:
            values.update(status=DeliveryStatus.DELIVERED.value, delivered_at=now)
        elif retry_at is None:
            values.update(status=DeliveryStatus.FAILED.value)
        else:
            values.update(next_attempt_at=retry_at)
        with self.db.write() as conn:
            conn.execute(update(webhook_deliveries).where(
                webhook_deliveries.c.id == delivery_id).values(**values))

    def deliveries(self, *, webhook_id: int | None = None, platform: str | None = None,
                   limit: int = 100) -> list[Delivery]:
        query = (select(webhook_deliveries)
                 .join(webhooks, webhooks.c.id == webhook_deliveries.c.webhook_id)
                 .order_by(webhook_deliveries.c.id.desc()).limit(limit))
        if webhook_id is not None:
            query = query.where(webhook_deliveries.c.webhook_id == webhook_id)
        if platform is not None:
            query = query.where(webhooks.c.platform == platform)
        with self.db.read() as conn:
            return [_delivery(row) for row in conn.execute(query)]


# -- helpers ---------------------------------------------------------------------------------------

def _platform(post: Post) -> str:
    return post.platform or "default"


def _seller(post: Post) -> str | None:
    return post.seller.id if post.seller is not None and post.seller.id else None


def _headline(body: dict[str, Any]) -> str:
    for key in ("title", "text", "description"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return ""


def _post_row(item: Incoming, now: datetime, action: Action, rule_id: str | None,
              category: str | None) -> dict[str, Any]:
    verdict = item.verdict
    return {
        "platform": _platform(item.post), "post_id": item.post.id,
        "seller_id": _seller(item.post), "body": item.body.decode(), "received_at": now,
        "month": month_of(now), "sightings": 1, "score": verdict.score,
        "level": verdict.level.value if isinstance(verdict.level, Level) else str(verdict.level),
        "flagged": verdict.flagged, "verdict": _JSON.encode(verdict).decode(),
        "lexicon_version": verdict.lexicon_version, "model_version": verdict.model_version,
        "policy_version": item.policy_version,
        "action": action.value, "action_source": ActionSource.POLICY.value, "rule_id": rule_id,
        "category": category,
    }


def _action_row(post_pk: int, platform: str, action: Action, source: ActionSource,
                rule_id: str | None, shadow: bool, now: datetime) -> dict[str, Any]:
    return {"post_pk": post_pk, "platform": platform, "action": action.value,
            "source": source.value, "rule_id": rule_id, "shadow": shadow, "created_at": now,
            "month": month_of(now)}


def _audit_row(actor: str, verb: str, subject: str, detail: dict[str, Any],
               now: datetime) -> dict[str, Any]:
    return {"at": now, "actor": actor, "verb": verb, "subject": subject, "detail": detail}


def _audit(conn: Connection, actor: str, verb: str, subject: str, detail: dict[str, Any],
           now: datetime) -> None:
    conn.execute(audit_log.insert().values(_audit_row(actor, verb, subject, detail, now)))


def _insert_ignoring_conflicts(conn: Connection, table: Any) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _user(row: Any) -> User:
    return User(row.id, row.username, Role(row.role), row.locale, row.active)


def _summary_query() -> Any:
    return select(posts.c.id, posts.c.platform, posts.c.post_id, posts.c.body, posts.c.score,
                  posts.c.level, posts.c.action, posts.c.received_at)


def _summaries(rows: Iterable[Any]) -> list[PostSummary]:
    return [PostSummary(row.id, row.platform, row.post_id,
                        _headline(msgspec.json.decode(row.body)), row.score, row.level,
                        row.action, row.received_at,
                        int(getattr(row, "shared", 0) or 0)) for row in rows]


def _decision_query() -> Any:
    return (select(decisions, users.c.username)
            .join(users, users.c.id == decisions.c.user_id).order_by(decisions.c.id))


def _decisions(rows: Iterable[Any]) -> list[DecisionRecord]:
    return [DecisionRecord(row.id, row.review_item_id, row.post_pk, row.username, row.action,
                           row.reason, row.note, row.created_at) for row in rows]


def _audit_entry(row: Any) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.actor, row.verb, row.subject, dict(row.detail))


def _delivery(row: Any) -> Delivery:
    return Delivery(row.id, row.webhook_id, row.event, row.status, row.attempts,
                    row.next_attempt_at, row.last_status, row.last_error, row.created_at,
                    row.delivered_at)


__all__ = ["EVENTS", "REVIEW_DECISIONS", "Incoming", "NotFound", "Store", "StoreConflict"]
