"""peer review: submissions, assignments, decisions, drafts, calibration, posts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('peer_calibrations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.String(length=64), nullable=False),
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('anchor_id', sa.String(length=64), nullable=False),
    sa.Column('levels', sa.JSON().with_variant(sa.JSON(), 'postgresql'), nullable=True),
    sa.Column('agreement', sa.Double(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_peer_calibrations_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_calibrations')),
    sa.UniqueConstraint('person_id', 'program_id', 'quiz_id', 'question_id', 'anchor_id', name=op.f('uq_peer_calibrations_person_id_program_id_quiz_id_question_id_anchor_id'))
    )
    op.create_table('peer_reviewer_status',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('paused_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_peer_reviewer_status_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_peer_reviewer_status'))
    )
    op.create_table('peer_drafts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('writeup', sa.Text(), nullable=False),
    sa.Column('links', sa.Text(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_peer_drafts_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_drafts')),
    sa.UniqueConstraint('enrollment_id', 'quiz_id', 'question_id', name=op.f('uq_peer_drafts_enrollment_id_quiz_id_question_id'))
    )
    op.create_table('peer_submissions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.String(length=64), nullable=False),
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('quiz_run', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('wanted', sa.Integer(), nullable=False),
    sa.Column('required', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('named', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=255), nullable=True),
    sa.Column('fallback', sa.Text(), nullable=False),
    sa.Column('writeup', sa.Text(), nullable=False),
    sa.Column('links', sa.Text(), nullable=False),
    sa.Column('final_levels', sa.JSON().with_variant(sa.JSON(), 'postgresql'), nullable=True),
    sa.Column('final_points', sa.Double(), nullable=True),
    sa.Column('round_started_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('escalate_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('escalated_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_peer_submissions_attempt_id_attempts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_peer_submissions_author_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_peer_submissions_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_peer_submissions_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_submissions')),
    sa.UniqueConstraint('enrollment_id', 'quiz_id', 'question_id', 'quiz_run', name=op.f('uq_peer_submissions_enrollment_id_quiz_id_question_id_quiz_run'))
    )
    with op.batch_alter_table('peer_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_submissions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_peer_submissions_status', ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_submissions_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('peer_assignments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('asked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('remind_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reassign_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['reviewer_id'], ['people.id'], name=op.f('fk_peer_assignments_reviewer_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['peer_submissions.id'], name=op.f('fk_peer_assignments_submission_id_peer_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_assignments')),
    sa.UniqueConstraint('submission_id', 'reviewer_id', name=op.f('uq_peer_assignments_submission_id_reviewer_id'))
    )
    with op.batch_alter_table('peer_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_assignments_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_assignments_submission_id'), ['submission_id'], unique=False)

    op.create_table('peer_decisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('levels', sa.JSON().with_variant(sa.JSON(), 'postgresql'), nullable=True),
    sa.Column('comments', sa.JSON().with_variant(sa.JSON(), 'postgresql'), nullable=True),
    sa.Column('points', sa.Double(), nullable=False),
    sa.Column('agreed', sa.Boolean(), nullable=True),
    sa.Column('level_agreement', sa.Double(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['people.id'], name=op.f('fk_peer_decisions_reviewer_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['peer_submissions.id'], name=op.f('fk_peer_decisions_submission_id_peer_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_decisions')),
    sa.UniqueConstraint('submission_id', 'reviewer_id', 'version', name=op.f('uq_peer_decisions_submission_id_reviewer_id_version'))
    )
    with op.batch_alter_table('peer_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_decisions_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_decisions_submission_id'), ['submission_id'], unique=False)

    op.create_table('peer_posts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.JSON().with_variant(sa.JSON(), 'postgresql'), nullable=True),
    sa.Column('ref', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('next_try_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['peer_posts.id'], name=op.f('fk_peer_posts_parent_id_peer_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_peer_posts_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['peer_submissions.id'], name=op.f('fk_peer_posts_submission_id_peer_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_posts')),
    sa.UniqueConstraint('key', name=op.f('uq_peer_posts_key'))
    )
    with op.batch_alter_table('peer_posts', schema=None) as batch_op:
        batch_op.create_index('ix_peer_posts_status', ['status', 'next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_posts_submission_id'), ['submission_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('peer_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_posts_submission_id'))
        batch_op.drop_index('ix_peer_posts_status')

    op.drop_table('peer_posts')
    with op.batch_alter_table('peer_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_decisions_submission_id'))
        batch_op.drop_index(batch_op.f('ix_peer_decisions_reviewer_id'))

    op.drop_table('peer_decisions')
    with op.batch_alter_table('peer_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_assignments_submission_id'))
        batch_op.drop_index(batch_op.f('ix_peer_assignments_reviewer_id'))

    op.drop_table('peer_assignments')
    with op.batch_alter_table('peer_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_submissions_workspace_id'))
        batch_op.drop_index('ix_peer_submissions_status')
        batch_op.drop_index(batch_op.f('ix_peer_submissions_author_id'))

    op.drop_table('peer_submissions')
    op.drop_table('peer_drafts')
    op.drop_table('peer_reviewer_status')
    op.drop_table('peer_calibrations')
