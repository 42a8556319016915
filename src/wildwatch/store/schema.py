"""The tables: what Wildwatch keeps about posts, reviews, decisions, people and deliveries.

SQLAlchemy Core tables, so that batch inserts stay cheap. The Alembic migrations in
``migrations/versions`` create exactly these (a test compares them). Times are UTC, stored
naive; ``month`` columns ("2026-11") are written at insert so that monthly counts group the same
way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# SQLite only auto-increments a column declared INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")

users = Table(
    "users", metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(256), nullable=False),
    Column("role", String(16), nullable=False),
    Column("locale", String(16), nullable=False, default="en"),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(128), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),
    Column("platform", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("user_id", Id, ForeignKey("users.id")),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
)

posts = Table(
    "posts", metadata,
    Column("id", Id, primary_key=True),
    Column("platform", String(64), nullable=False),
    Column("post_id", String(256), nullable=False),
    Column("seller_id", String(256)),
    Column("body", Text, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("month", String(7), nullable=False),
    Column("sightings", Integer, nullable=False, default=1),
    Column("score", Float, nullable=False),
    Column("level", String(8), nullable=False),
    Column("flagged", Boolean, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("lexicon_version", String(32), nullable=False),
    Column("model_version", String(64)),
    Column("policy_version", String(32), nullable=False),
    Column("action", String(16), nullable=False),
    Column("action_source", String(8), nullable=False),
    Column("rule_id", String(128)),
    Column("category", String(64)),
    UniqueConstraint("platform", "post_id"),
    Index(None, "platform", "seller_id"),
    Index(None, "month"),
)

post_species = Table(
    "post_species", metadata,
    Column("post_pk", Id, ForeignKey("posts.id"), primary_key=True),
    Column("species", String(64), primary_key=True),
)

post_terms = Table(
    "post_terms", metadata,
    Column("post_pk", Id, ForeignKey("posts.id"), primary_key=True),
    Column("term", String(128), primary_key=True),
    Index(None, "term"),
)

review_items = Table(
    "review_items", metadata,
    Column("id", Id, primary_key=True),
    Column("post_pk", Id, ForeignKey("posts.id"), nullable=False, unique=True),
    Column("status", String(10), nullable=False),
    Column("priority", Float, nullable=False),
    Column("reports", Integer, nullable=False, default=0),
    Column("claimed_by", Id, ForeignKey("users.id")),
    Column("claimed_until", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("decided_at", DateTime),
    Index(None, "status", "priority"),
)

decisions = Table(
    "decisions", metadata,
    Column("id", Id, primary_key=True),
    Column("review_item_id", Id, ForeignKey("review_items.id"), nullable=False),
    Column("post_pk", Id, ForeignKey("posts.id"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("reason", String(128), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("month", String(7), nullable=False),
    Index(None, "post_pk"),
)

actions = Table(
    "actions", metadata,
    Column("id", Id, primary_key=True),
    Column("post_pk", Id, ForeignKey("posts.id"), nullable=False),
    Column("platform", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("source", String(8), nullable=False),
    Column("rule_id", String(128)),
    Column("shadow", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("month", String(7), nullable=False),
    Index(None, "post_pk"),
    Index(None, "month", "action"),
)

blocked_sellers = Table(
    "blocked_sellers", metadata,
    Column("platform", String(64), primary_key=True),
    Column("seller_id", String(256), primary_key=True),
    Column("post_pk", Id, ForeignKey("posts.id")),
    Column("blocked_by", Id, ForeignKey("users.id")),
    Column("blocked_at", DateTime, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Id, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(96), nullable=False),
    Column("verb", String(32), nullable=False),
    Column("subject", String(96), nullable=False),
    Column("detail", JSON, nullable=False),
    Index(None, "subject"),
)

webhooks = Table(
    "webhooks", metadata,
    Column("id", Id, primary_key=True),
    Column("platform", String(64), nullable=False),
    Column("url", String(2048), nullable=False),
    Column("secret", String(128), nullable=False),
    Column("events", JSON, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", Id, primary_key=True),
    Column("webhook_id", Id, ForeignKey("webhooks.id"), nullable=False),
    Column("event", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("created_at", DateTime, nullable=False),
    Column("delivered_at", DateTime),
    Index(None, "status", "next_attempt_at"),
    Index(None, "webhook_id"),
)

# -- engaging users (issue 5): searches, spotters' reports, rounds, proposed terms ---------------

search_counts = Table(
    "search_counts", metadata,
    # One row per (hour, platform, locale, normalised query, action): counts, never who searched.
    Column("hour", DateTime, primary_key=True),
    Column("platform", String(64), primary_key=True),
    Column("locale", String(16), primary_key=True),
    Column("query", String(256), primary_key=True),
    Column("action", String(16), primary_key=True),
    Column("species", String(64)),
    Column("term", String(128)),
    Column("checks", BigInteger, nullable=False),
    Index(None, "species", "hour"),
)

spotter_rounds = Table(
    "spotter_rounds", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(128), nullable=False),
    Column("species", String(64)),
    Column("starts_at", DateTime, nullable=False),
    Column("ends_at", DateTime, nullable=False),
    Column("created_by", Id, ForeignKey("users.id")),
    Column("created_at", DateTime, nullable=False),
)

reports = Table(
    "reports", metadata,
    Column("id", Id, primary_key=True),
    Column("review_item_id", Id, ForeignKey("review_items.id"), nullable=False),
    Column("post_pk", Id, ForeignKey("posts.id"), nullable=False),
    Column("platform", String(64), nullable=False),
    Column("listing", String(2048), nullable=False),
    Column("species", String(64)),
    Column("description", Text, nullable=False),
    Column("screenshot", String(256)),
    Column("spotter_id", Id, ForeignKey("users.id")),
    Column("round_id", Id, ForeignKey("spotter_rounds.id")),
    Column("weight", Float, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index(None, "review_item_id"),
    Index(None, "spotter_id"),
)

term_proposals = Table(
    "term_proposals", metadata,
    Column("id", Id, primary_key=True),
    Column("text", String(128), nullable=False),
    Column("species", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("lang", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("post_pk", Id, ForeignKey("posts.id")),
    Column("proposed_by", Id, ForeignKey("users.id"), nullable=False),
    Column("status", String(10), nullable=False),
    Column("decided_by", Id, ForeignKey("users.id")),
    Column("decided_at", DateTime),
    Column("decision_note", Text),
    Column("created_at", DateTime, nullable=False),
    Index(None, "status"),
)

lexicon_additions = Table(
    "lexicon_additions", metadata,
    # Terms analysts accepted from proposals: applied over the shipped lexicon at load, so the
    # lexicon's version changes and every server process picks them up without a restart.
    Column("id", Id, primary_key=True),
    Column("text", String(128), nullable=False),
    Column("species", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("lang", String(16), nullable=False),
    Column("weight", Float),
    Column("source", String(512), nullable=False),
    Column("proposal_id", Id, ForeignKey("term_proposals.id")),
    Column("added_by", Id, ForeignKey("users.id"), nullable=False),
    Column("added_at", DateTime, nullable=False),
)

listing_urls = Table(
    "listing_urls", metadata,
    # A post's canonical URL (wildwatch.ingest.urls), hashed: how a spotter's report of a URL
    # finds the post a platform sent, in one indexed look-up. The first post with a URL keeps it.
    Column("url_key", String(64), primary_key=True),
    Column("post_pk", Id, ForeignKey("posts.id"), nullable=False),
)
