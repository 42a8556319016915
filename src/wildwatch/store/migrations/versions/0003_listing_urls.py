"""Listing URLs: a spotter's report of a URL finds the post a platform sent.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Also indexes the URLs of the posts stored before, a thousand at a time.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('listing_urls',
    sa.Column('url_key', sa.String(length=64), nullable=False),
    sa.Column('post_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['post_pk'], ['posts.id'], name=op.f('fk_listing_urls_post_pk_posts')),
    sa.PrimaryKeyConstraint('url_key', name=op.f('pk_listing_urls'))
    )
    _index_stored_urls()


def downgrade() -> None:
    op.drop_table('listing_urls')


def _index_stored_urls() -> None:
    import json

    from sqlalchemy.dialects import postgresql, sqlite

    from wildwatch.ingest.urls import listing_url_key

    conn = op.get_bind()
    posts = sa.table('posts', sa.column('id', sa.Integer), sa.column('body', sa.Text))
    listing_urls = sa.table('listing_urls', sa.column('url_key', sa.String),
                            sa.column('post_pk', sa.Integer))
    dialect = postgresql if conn.dialect.name == 'postgresql' else sqlite
    last = 0
    while True:
        rows = conn.execute(sa.select(posts.c.id, posts.c.body).where(posts.c.id > last)
                            .order_by(posts.c.id).limit(1000)).all()
        if not rows:
            return
        last = rows[-1].id
        keys: dict[str, int] = {}
        for row in rows:
            url = json.loads(row.body).get('url') if '"url"' in row.body else None
            key = listing_url_key(url) if isinstance(url, str) else None
            if key is not None:
                keys.setdefault(key, row.id)
        if keys:
            conn.execute(dialect.insert(listing_urls).on_conflict_do_nothing(),
                         [{'url_key': key, 'post_pk': pk} for key, pk in keys.items()])
