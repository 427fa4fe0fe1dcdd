"""quiz runs: the questions drawn for each run of a quiz and the seed of its option order

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('quiz_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('run', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('questions', sa.JSON().with_variant(sa.JSON(), 'postgresql'), nullable=True),
    sa.Column('started_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_quiz_runs_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_runs')),
    sa.UniqueConstraint('enrollment_id', 'quiz_id', 'run', name=op.f('uq_quiz_runs_enrollment_id_quiz_id_run'))
    )
    with op.batch_alter_table('quiz_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_runs_enrollment_id'), ['enrollment_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quiz_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_runs_enrollment_id'))
    op.drop_table('quiz_runs')
