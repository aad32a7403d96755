"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 09:03:22.227554
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('actor',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('affiliation_id', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('person', 'state', 'organization', 'group')", name=op.f('ck_actor_kind')),
    sa.ForeignKeyConstraint(['affiliation_id'], ['actor.id'], name=op.f('fk_actor_affiliation_id_actor'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor'))
    )
    op.create_table('region',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('iso_code', sa.String(length=10), nullable=True),
    sa.Column('parent_id', sa.String(length=100), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['region.id'], name=op.f('fk_region_parent_id_region'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region'))
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_parent_id'), ['parent_id'], unique=False)

    op.create_table('source',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('publisher', sa.Text(), nullable=True),
    sa.Column('published_date', sa.Date(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source'))
    )
    op.create_table('actor_alias',
    sa.Column('actor_id', sa.String(length=100), nullable=False),
    sa.Column('alias', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_actor_alias_actor_id_actor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('actor_id', 'alias', name=op.f('pk_actor_alias'))
    )
    op.create_table('event',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=10), nullable=False),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("date_precision IN ('day', 'month', 'year', 'unknown')", name=op.f('ck_event_date_precision')),
    sa.CheckConstraint("status IN ('occurred', 'ongoing', 'planned', 'proposed')", name=op.f('ck_event_status')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_event_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_start_date_id'), ['start_date', 'id'], unique=False)

    op.create_table('quote',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('speaker_id', sa.String(length=100), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('statement', 'excerpt', 'analysis')", name=op.f('ck_quote_kind')),
    sa.CheckConstraint('span_start >= 0 AND span_end > span_start', name=op.f('ck_quote_span')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_quote_source_id_source'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['actor.id'], name=op.f('fk_quote_speaker_id_actor'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote'))
    )
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_source_id_span_start'), ['source_id', 'span_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_quote_speaker_id'), ['speaker_id'], unique=False)

    op.create_table('region_alias',
    sa.Column('region_id', sa.String(length=100), nullable=False),
    sa.Column('alias', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_region_alias_region_id_region'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('region_id', 'alias', name=op.f('pk_region_alias'))
    )
    op.create_table('region_ancestor',
    sa.Column('region_id', sa.String(length=100), nullable=False),
    sa.Column('ancestor_id', sa.String(length=100), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ancestor_id'], ['region.id'], name=op.f('fk_region_ancestor_ancestor_id_region'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_region_ancestor_region_id_region'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('region_id', 'ancestor_id', name=op.f('pk_region_ancestor'))
    )
    with op.batch_alter_table('region_ancestor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_ancestor_ancestor_id_region_id'), ['ancestor_id', 'region_id'], unique=False)

    op.create_table('event_actor',
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('actor_id', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('initiator', 'target', 'participant')", name=op.f('ck_event_actor_role')),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_event_actor_actor_id_actor'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_actor_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'actor_id', 'role', name=op.f('pk_event_actor'))
    )
    with op.batch_alter_table('event_actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_actor_actor_id_event_id'), ['actor_id', 'event_id'], unique=False)

    op.create_table('event_quote',
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('quote_id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_quote_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quote_id'], ['quote.id'], name=op.f('fk_event_quote_quote_id_quote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'quote_id', name=op.f('pk_event_quote'))
    )
    with op.batch_alter_table('event_quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_quote_quote_id_event_id'), ['quote_id', 'event_id'], unique=False)

    op.create_table('event_region',
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('region_id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_region_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_event_region_region_id_region'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('event_id', 'region_id', name=op.f('pk_event_region'))
    )
    with op.batch_alter_table('event_region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_region_region_id_event_id'), ['region_id', 'event_id'], unique=False)

    op.create_table('figure',
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_figure_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'position', name=op.f('pk_figure'))
    )


def downgrade() -> None:
    op.drop_table('figure')
    with op.batch_alter_table('event_region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_region_region_id_event_id'))

    op.drop_table('event_region')
    with op.batch_alter_table('event_quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_quote_quote_id_event_id'))

    op.drop_table('event_quote')
    with op.batch_alter_table('event_actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_actor_actor_id_event_id'))

    op.drop_table('event_actor')
    with op.batch_alter_table('region_ancestor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_ancestor_ancestor_id_region_id'))

    op.drop_table('region_ancestor')
    op.drop_table('region_alias')
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_speaker_id'))
        batch_op.drop_index(batch_op.f('ix_quote_source_id_span_start'))

    op.drop_table('quote')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_start_date_id'))
        batch_op.drop_index(batch_op.f('ix_event_source_id'))

    op.drop_table('event')
    op.drop_table('actor_alias')
    op.drop_table('source')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_parent_id'))

    op.drop_table('region')
    op.drop_table('actor')
