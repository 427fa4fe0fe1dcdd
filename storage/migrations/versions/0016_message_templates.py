"""message templates: a message many outbox rows share, stored once by its digest

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('message_templates',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('message', sa.JSON(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_message_templates'))
    )


def downgrade() -> None:
    op.drop_table('message_templates')
