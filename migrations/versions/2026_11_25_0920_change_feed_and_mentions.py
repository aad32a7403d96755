"""change feed and mentions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:20:48.294143
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('change',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_type', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.String(length=100), nullable=False),
    sa.Column('op', sa.String(length=10), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("op IN ('created', 'updated', 'deleted')", name=op.f('ck_change_op')),
    sa.CheckConstraint("record_type IN ('source', 'actor', 'region', 'quote', 'event')", name=op.f('ck_change_record_type')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change'))
    )
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_record_type_record_id'), ['record_type', 'record_id'], unique=False)

    op.create_table('mention',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=False),
    sa.Column('actor_id', sa.String(length=100), nullable=True),
    sa.Column('region_id', sa.String(length=100), nullable=True),
    sa.Column('alias', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.CheckConstraint('(actor_id IS NULL) <> (region_id IS NULL)', name=op.f('ck_mention_one_target')),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_mention_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_mention_region_id_region'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_mention_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mention'))
    )
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mention_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mention_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mention_source_id_span_start'), ['source_id', 'span_start'], unique=False)

    # Records loaded before the feed existed enter it as created, so a mirror that starts
    # from the beginning of the feed sees every record.
    for table in ("source", "actor", "region", "quote", "event"):
        op.execute(
            f"INSERT INTO change (record_type, record_id, op, changed_at) "
            f"SELECT '{table}', id, 'created', created_at FROM {table} ORDER BY id"
        )


def downgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mention_source_id_span_start'))
        batch_op.drop_index(batch_op.f('ix_mention_region_id'))
        batch_op.drop_index(batch_op.f('ix_mention_actor_id'))

    op.drop_table('mention')
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_record_type_record_id'))

    op.drop_table('change')
