"""assessment: tries, score audit trail, model cache, learner notices

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0004'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(sa.JSON(), 'postgresql')
OLD_UNIQUE = 'uq_attempts_enrollment_id_quiz_id_quiz_run_question_id'
NEW_UNIQUE = 'uq_attempts_enrollment_id_quiz_id_quiz_run_question_id_try_no'
KEY = ['enrollment_id', 'quiz_id', 'quiz_run', 'question_id']


def upgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('try_no', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('retry_after', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('scoring', JSON, nullable=True))
        batch_op.drop_constraint(OLD_UNIQUE, type_='unique')
        batch_op.create_unique_constraint(NEW_UNIQUE, [*KEY, 'try_no'])

    op.create_table('score_records',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=255), nullable=False),
    sa.Column('points', sa.Double(), nullable=True),
    sa.Column('max_points', sa.Double(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stood', sa.Boolean(), nullable=False),
    sa.Column('levels', JSON, nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('details', JSON, nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_score_records_attempt_id_attempts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_score_records_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_records'))
    )
    with op.batch_alter_table('score_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_records_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_records_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('llm_score_cache',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('model', sa.String(length=120), nullable=False),
    sa.Column('rubric_hash', sa.String(length=64), nullable=False),
    sa.Column('answer_hash', sa.String(length=64), nullable=False),
    sa.Column('result', JSON, nullable=True),
    sa.Column('prompt_tokens', sa.Integer(), nullable=False),
    sa.Column('completion_tokens', sa.Integer(), nullable=False),
    sa.Column('cost_usd', sa.Double(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llm_score_cache')),
    sa.UniqueConstraint('model', 'rubric_hash', 'answer_hash', name=op.f('uq_llm_score_cache_model_rubric_hash_answer_hash'))
    )

    op.create_table('learner_notices',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_learner_notices_attempt_id_attempts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_learner_notices_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_learner_notices_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learner_notices'))
    )
    with op.batch_alter_table('learner_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learner_notices_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learner_notices_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    op.drop_table('learner_notices')
    op.drop_table('llm_score_cache')
    op.drop_table('score_records')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(NEW_UNIQUE, type_='unique')
        batch_op.create_unique_constraint(OLD_UNIQUE, KEY)
        batch_op.drop_column('scoring')
        batch_op.drop_column('retry_after')
        batch_op.drop_column('try_no')
