"""event inbox: inbound events stored and acknowledged at the edge, processed by workers

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ('pending', 'claimed', 'done', 'dead')


def upgrade() -> None:
    allowed = ', '.join(repr(v) for v in STATUSES)
    op.create_table('event_inbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('lane', sa.String(length=255), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('lease_owner', sa.String(length=64), nullable=True),
    sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('processed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.CheckConstraint(f'status IN ({allowed})', name=op.f('ck_event_inbox_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_inbox')),
    sa.UniqueConstraint('key', name=op.f('uq_event_inbox_key'))
    )
    op.create_index('ix_event_inbox_status_id', 'event_inbox', ['status', 'id'], unique=False)
    op.create_index('ix_event_inbox_lane_status', 'event_inbox', ['lane', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_event_inbox_lane_status', table_name='event_inbox')
    op.drop_index('ix_event_inbox_status_id', table_name='event_inbox')
    op.drop_table('event_inbox')
