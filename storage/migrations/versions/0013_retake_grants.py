"""retake grants: runs of a quiz an admin grants beyond its retakes, audited as retake.grant

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIONS = ('role.grant', 'role.revoke', 'score.override', 'score.confirm', 'badge.award', 'badge.revoke', 'review.reassign', 'review.decide-override', 'binding.set', 'cohort.create', 'cohort.add')


def _audit_actions(actions: Sequence[str]) -> None:
    """Let the audit log's action check accept exactly `actions`."""
    allowed = ', '.join(repr(a) for a in actions)
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_action'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_audit_entries_action'), f'action IN ({allowed})')


def upgrade() -> None:
    op.create_table('retake_grants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by', sa.String(length=255), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('runs >= 1', name=op.f('ck_retake_grants_runs')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_retake_grants_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retake_grants'))
    )
    with op.batch_alter_table('retake_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retake_grants_enrollment_id'), ['enrollment_id'], unique=False)
    _audit_actions((*ACTIONS, 'retake.grant'))


def downgrade() -> None:
    op.execute("DELETE FROM audit_entries WHERE action = 'retake.grant'")
    _audit_actions(ACTIONS)
    with op.batch_alter_table('retake_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retake_grants_enrollment_id'))
    op.drop_table('retake_grants')
