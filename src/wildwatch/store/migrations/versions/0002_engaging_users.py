"""Engaging users: search counts, spotters' reports and rounds, proposed and accepted terms.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('search_counts',
    sa.Column('hour', sa.DateTime(), nullable=False),
    sa.Column('platform', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('query', sa.String(length=256), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('species', sa.String(length=64), nullable=True),
    sa.Column('term', sa.String(length=128), nullable=True),
    sa.Column('checks', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('hour', 'platform', 'locale', 'query', 'action', name=op.f('pk_search_counts'))
    )
    with op.batch_alter_table('search_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_counts_species_hour'), ['species', 'hour'], unique=False)

    op.create_table('spotter_rounds',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('species', sa.String(length=64), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_spotter_rounds_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spotter_rounds'))
    )
    op.create_table('term_proposals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('text', sa.String(length=128), nullable=False),
    sa.Column('species', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('post_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('proposed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_term_proposals_decided_by_users')),
    sa.ForeignKeyConstraint(['post_pk'], ['posts.id'], name=op.f('fk_term_proposals_post_pk_posts')),
    sa.ForeignKeyConstraint(['proposed_by'], ['users.id'], name=op.f('fk_term_proposals_proposed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_term_proposals'))
    )
    with op.batch_alter_table('term_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_term_proposals_status'), ['status'], unique=False)

    op.create_table('lexicon_additions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('text', sa.String(length=128), nullable=False),
    sa.Column('species', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=16), nullable=False),
    sa.Column('weight', sa.Float(), nullable=True),
    sa.Column('source', sa.String(length=512), nullable=False),
    sa.Column('proposal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('added_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['users.id'], name=op.f('fk_lexicon_additions_added_by_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['term_proposals.id'], name=op.f('fk_lexicon_additions_proposal_id_term_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lexicon_additions'))
    )
    op.create_table('reports',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('review_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('post_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('platform', sa.String(length=64), nullable=False),
    sa.Column('listing', sa.String(length=2048), nullable=False),
    sa.Column('species', sa.String(length=64), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('screenshot', sa.String(length=256), nullable=True),
    sa.Column('spotter_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('round_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_pk'], ['posts.id'], name=op.f('fk_reports_post_pk_posts')),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_reports_review_item_id_review_items')),
    sa.ForeignKeyConstraint(['round_id'], ['spotter_rounds.id'], name=op.f('fk_reports_round_id_spotter_rounds')),
    sa.ForeignKeyConstraint(['spotter_id'], ['users.id'], name=op.f('fk_reports_spotter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_review_item_id'), ['review_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_spotter_id'), ['spotter_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_spotter_id'))
        batch_op.drop_index(batch_op.f('ix_reports_review_item_id'))

    op.drop_table('reports')
    op.drop_table('lexicon_additions')
    with op.batch_alter_table('term_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_term_proposals_status'))

    op.drop_table('term_proposals')
    op.drop_table('spotter_rounds')
    with op.batch_alter_table('search_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_counts_species_hour'))

    op.drop_table('search_counts')
