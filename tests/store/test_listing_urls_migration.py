"""Migration 0003 indexes the URLs of posts stored before it, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from wildwatch.ingest.urls import listing_url_key
from wildwatch.store.database import alembic_config, migrate, open_engine
from wildwatch.store.schema import listing_urls

BODIES = ['{"id": "a", "url": "https://www.shop.example/item/1?utm_source=x"}',
          '{"id": "b", "title": "no url"}',
          '{"id": "c", "url": "javascript:alert(1)"}',
          '{"id": "d", "url": "https://shop.example/item/1"}',       # the same listing as "a"
          '{"id": "e", "text": "mentions \\"url\\" in words"}',
          '{"id": "f", "url": "https://other.example/x/9"}']


def test_urls_of_posts_stored_before_are_indexed(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        if current is None:
            migrate(engine, "0002")       # a new SQLite file
        else:
            command.downgrade(alembic_config(engine), "0002")   # the migrated PostgreSQL one
        with engine.begin() as conn:
            for pk, body in enumerate(BODIES, start=1):
                conn.execute(text(
                    "INSERT INTO posts (id, platform, post_id, body, received_at, month,"
                    " sightings, score, level, flagged, verdict, lexicon_version,"
                    " policy_version, action, action_source) VALUES (:pk, 'shopco', :pid,"
                    " :body, '2026-11-01 00:00:00', '2026-11', 1, 0, 'clear', false, '{}', 'v',"
                    " 'p', 'allow', 'policy')"), {"pk": pk, "pid": f"p{pk}", "body": body})
    finally:
        migrate(engine)
    with engine.connect() as conn:
        indexed = {row.url_key: row.post_pk for row in conn.execute(select(listing_urls))}
    engine.dispose()
    assert indexed == {listing_url_key("https://shop.example/item/1"): 1,
                       listing_url_key("https://other.example/x/9"): 6}
