"""engagement: points ledger, totals, board preferences, streaks, challenges, due posts

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0007'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('board_preferences',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=12), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_board_preferences_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_board_preferences'))
    )
    op.create_table('points_ledger',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('item', sa.String(length=140), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('quality', sa.Double(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('earned_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_points_ledger_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_points_ledger_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_ledger')),
    sa.UniqueConstraint('person_id', 'key', name=op.f('uq_points_ledger_person_id_key'))
    )
    with op.batch_alter_table('points_ledger', schema=None) as batch_op:
        batch_op.create_index('ix_points_ledger_person_earned', ['person_id', 'earned_at'], unique=False)

    op.create_table('points_totals',
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('board', sa.String(length=80), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('listing', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_points_totals_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workspace_id', 'board', 'period', 'person_id', name=op.f('pk_points_totals'))
    )
    with op.batch_alter_table('points_totals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_totals_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_points_totals_ranking', ['workspace_id', 'board', 'period', sa.literal_column('points DESC'), 'person_id', 'listing'], unique=False)

    op.create_table('challenges',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('lead_name', sa.String(length=200), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=255), nullable=False),
    sa.Column('program_id', sa.String(length=64), nullable=False),
    sa.Column('skill', sa.String(length=64), nullable=False),
    sa.Column('goal', sa.String(length=200), nullable=False),
    sa.Column('scoring', sa.String(length=16), nullable=False),
    sa.Column('starts_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('progress', sa.String(length=16), nullable=False),
    sa.Column('prize', sa.String(length=300), nullable=False),
    sa.Column('daily_cap', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('announce_ref', sa.String(length=255), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('posted_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['people.id'], name=op.f('fk_challenges_created_by_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_challenges_team_id_teams'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_challenges_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenges'))
    )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.create_index('ix_challenges_workspace_status', ['workspace_id', 'status'], unique=False)

    op.create_table('streaks',
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('current', sa.Integer(), nullable=False),
    sa.Column('best', sa.Integer(), nullable=False),
    sa.Column('last_slot_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('excused_from', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('excused_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_streaks_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_streaks_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enrollment_id', name=op.f('pk_streaks'))
    )
    with op.batch_alter_table('streaks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_streaks_person_id'), ['person_id'], unique=False)

    op.create_table('challenge_members',
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_members_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_challenge_members_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('challenge_id', 'person_id', name=op.f('pk_challenge_members'))
    )
    with op.batch_alter_table('challenge_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_members_person_id'), ['person_id'], unique=False)

    op.create_table('engagement_due',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('workspace_id', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=255), nullable=False),
    sa.Column('program_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ref', sa.String(length=255), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_engagement_due_challenge_id_challenges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_due')),
    sa.UniqueConstraint('key', name=op.f('uq_engagement_due_key'))
    )
    with op.batch_alter_table('engagement_due', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_due_challenge_id'), ['challenge_id'], unique=False)
        batch_op.create_index('ix_engagement_due_status_due_at', ['status', 'due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('engagement_due', schema=None) as batch_op:
        batch_op.drop_index('ix_engagement_due_status_due_at')
        batch_op.drop_index(batch_op.f('ix_engagement_due_challenge_id'))

    op.drop_table('engagement_due')
    with op.batch_alter_table('challenge_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_members_person_id'))

    op.drop_table('challenge_members')
    with op.batch_alter_table('streaks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_streaks_person_id'))

    op.drop_table('streaks')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_index('ix_challenges_workspace_status')

    op.drop_table('challenges')
    with op.batch_alter_table('points_totals', schema=None) as batch_op:
        batch_op.drop_index('ix_points_totals_ranking')
        batch_op.drop_index(batch_op.f('ix_points_totals_person_id'))

    op.drop_table('points_totals')
    with op.batch_alter_table('points_ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_points_ledger_person_earned')

    op.drop_table('points_ledger')
    op.drop_table('board_preferences')
