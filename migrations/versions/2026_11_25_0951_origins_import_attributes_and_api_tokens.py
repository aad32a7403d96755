"""origins, import attributes and api tokens

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:51:13.148009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('salt', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("scope IN ('read', 'write', 'admin')", name=op.f('ck_api_token_scope')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('name', name=op.f('uq_api_token_name'))
    )
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('country_code', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='seed', nullable=False))

    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_by', sa.String(length=100), nullable=True))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attributes', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='seed', nullable=False))

    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='seed', nullable=False))

    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='seed', nullable=False))

    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='seed', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('origin')

    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_column('origin')
        batch_op.drop_column('external_id')

    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_column('origin')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('origin')
        batch_op.drop_column('attributes')

    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.drop_column('changed_by')

    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.drop_column('origin')
        batch_op.drop_column('country_code')
        batch_op.drop_column('code')

    op.drop_table('api_token')
